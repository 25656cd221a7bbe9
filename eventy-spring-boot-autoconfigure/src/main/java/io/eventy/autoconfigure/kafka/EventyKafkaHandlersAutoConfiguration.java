package io.eventy.autoconfigure.kafka;

import java.time.Duration;

import io.eventy.handler.DeadLetters;
import io.eventy.handler.HandlerEndpointRegistry;
import io.eventy.handler.HandlerObserver;
import io.eventy.handler.SubscriptionOptions;
import io.eventy.handler.Subscriptions;
import io.eventy.autoconfigure.EventyProperties;
import io.eventy.autoconfigure.EventyService;
import io.eventy.store.kafka.KafkaDeadLetters;
import io.eventy.store.kafka.KafkaEventStore;
import io.eventy.store.kafka.KafkaRouting;
import io.eventy.store.kafka.KafkaSubscriptionControl;
import io.eventy.store.kafka.KafkaSubscriptionOperations;
import io.eventy.store.kafka.KafkaSubscriptionSettings;
import io.eventy.store.kafka.KafkaTopicInitializer;
import io.eventy.store.kafka.KafkaSubscriptions;
import io.eventy.store.kafka.KafkaTopics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Auto-configuration of {@code @EventHandler} subscriptions on the Kafka store: each runs
 * as consumer group {@code <service>.<subscription>} on the service's topics, the topics
 * of other services in {@code eventy.kafka.subscribe-topics} and those its handler names
 * ({@link KafkaSubscriptions}) with the {@code eventy.handlers.*} settings, and their
 * dead letters are on the service's {@code .DLT} topics ({@link KafkaDeadLetters}). The
 * consumers use Spring Boot's Kafka settings ({@code spring.kafka.consumer.*}, or the
 * {@link KafkaConnectionDetails} of a {@code @ServiceConnection}) with Eventy's
 * overrides, and their listener containers start from the container properties of the
 * application's {@link ConcurrentKafkaListenerContainerFactory} (Spring Boot's, with
 * {@code spring.kafka.listener.*}) and run {@code spring.kafka.listener.concurrency}
 * consumers each. Operators see and control the subscriptions through
 * {@link KafkaSubscriptionOperations} ({@link Subscriptions}): pause, resume and reset go
 * to every instance through the compacted control topic {@code <service>-control}
 * ({@link KafkaSubscriptionControl}), created with the other topics unless
 * {@code eventy.kafka.create-topics=false}. Switched off with
 * {@code eventy.handlers.enabled=false}.
 */
@AutoConfiguration(after = EventyKafkaAutoConfiguration.class,
		afterName = "io.eventy.autoconfigure.handler.EventyHandlersAutoConfiguration")
@ConditionalOnClass({ ConsumerFactory.class, KafkaProperties.class })
@ConditionalOnProperty(name = "eventy.handlers.enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnBean({ KafkaEventStore.class, HandlerEndpointRegistry.class, SubscriptionOptions.class })
public final class EventyKafkaHandlersAutoConfiguration {

	/** How long a status waits for the broker, and a control command to be read. */
	private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(10);

	@Bean
	@ConditionalOnMissingBean
	KafkaSubscriptionSettings eventyKafkaSubscriptionSettings(KafkaTopics topics, EventyService service,
			SubscriptionOptions options, EventyProperties properties, ObjectProvider<KafkaRouting> routing) {
		KafkaSubscriptionSettings settings = KafkaSubscriptionSettings.of(service.name(), topics, options)
			.withSubscribeTopics(properties.getKafka().getSubscribeTopics());
		KafkaRouting kafkaRouting = routing.getIfUnique();
		return (kafkaRouting != null) ? settings.withRouting(kafkaRouting) : settings;
	}

	@Bean
	@ConditionalOnMissingBean
	KafkaSubscriptions eventySubscriptions(KafkaEventStore store, HandlerEndpointRegistry registry,
			KafkaSubscriptionSettings settings, ObjectProvider<ConsumerFactory<?, ?>> consumerFactory,
			KafkaProperties kafkaProperties, KafkaConnectionDetails connectionDetails,
			ObjectProvider<HandlerObserver> observer, ObjectProvider<EventyKafkaConsumerFactoryCustomizer> customizers,
			ObjectProvider<ConcurrentKafkaListenerContainerFactory<?, ?>> listenerContainerFactory,
			ObjectProvider<KafkaSubscriptionControl> control) {
		KafkaSubscriptions subscriptions = new KafkaSubscriptions(store, registry,
				KafkaClientProperties.consumer(consumerFactory, kafkaProperties, connectionDetails), settings);
		subscriptions.setControl(control.getIfUnique());
		// spring.kafka.listener.*, as the application's own listeners have them
		listenerContainerFactory
			.ifUnique((factory) -> subscriptions.setContainerDefaults(factory.getContainerProperties()));
		Integer concurrency = kafkaProperties.getListener().getConcurrency();
		if (concurrency != null) {
			subscriptions.setConcurrency(concurrency);
		}
		subscriptions.setHandlerObserver(observer.getIfUnique(HandlerObserver::noop));
		subscriptions.setConsumerFactoryCustomizer(
				(factory) -> customizers.orderedStream().forEach((customizer) -> customizer.customize(factory)));
		return subscriptions;
	}

	@Bean
	@ConditionalOnMissingBean
	KafkaSubscriptionControl eventyKafkaSubscriptionControl(KafkaEventStore store, KafkaSubscriptionSettings settings,
			ObjectProvider<ConsumerFactory<?, ?>> consumerFactory, KafkaProperties kafkaProperties,
			KafkaConnectionDetails connectionDetails, ObjectProvider<KafkaTopicInitializer> topicInitializer) {
		// created like the other topics, unless the application creates its topics itself
		topicInitializer.ifAvailable((initializer) -> initializer.initializeCompacted(settings.controlTopic()));
		return new KafkaSubscriptionControl(
				KafkaClientProperties.consumer(consumerFactory, kafkaProperties, connectionDetails), store,
				settings.controlTopic(), CONTROL_TIMEOUT);
	}

	@Bean
	@ConditionalOnMissingBean(Subscriptions.class)
	KafkaSubscriptionOperations eventyKafkaSubscriptionOperations(KafkaSubscriptions subscriptions,
			DeadLetters deadLetters, EventyProperties properties, ObjectProvider<KafkaAdmin> kafkaAdmin,
			KafkaProperties kafkaProperties, KafkaConnectionDetails connectionDetails) {
		KafkaSubscriptionOperations operations = new KafkaSubscriptionOperations(subscriptions, deadLetters,
				KafkaClientProperties.admin(kafkaAdmin.getIfUnique(), kafkaProperties, connectionDetails),
				STATUS_TIMEOUT);
		operations.setStallTimeout(properties.getHandlers().getStallTimeout());
		return operations;
	}

	@Bean
	@ConditionalOnMissingBean(DeadLetters.class)
	KafkaDeadLetters eventyDeadLetters(KafkaEventStore store, KafkaSubscriptionSettings settings,
			ObjectProvider<ConsumerFactory<?, ?>> consumerFactory, KafkaProperties kafkaProperties,
			KafkaConnectionDetails connectionDetails) {
		return new KafkaDeadLetters(store,
				KafkaClientProperties.consumer(consumerFactory, kafkaProperties, connectionDetails), settings);
	}

}
