package io.eventy.store.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.eventy.handler.EnableEventHandlers;
import io.eventy.handler.HandlerEndpointRegistry;
import io.eventy.handler.RetryPolicy;
import io.eventy.handler.StartPosition;
import io.eventy.handler.SubscriptionCaughtUpEvent;
import io.eventy.handler.SubscriptionOptions;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.record.RecordUpcaster;
import io.eventy.service.ServiceDefinition;
import io.eventy.service.ServiceRegistry;
import io.eventy.testsupport.KafkaTestBroker;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.ProducerPostProcessor;

import static org.awaitility.Awaitility.await;

/**
 * Application contexts that run {@code @EventHandler} beans on the test broker: handler
 * discovery, a Kafka store, {@link KafkaSubscriptions} and {@link KafkaDeadLetters}, all
 * on the topics of one service.
 */
final class KafkaHandlerContexts {

	/** Fast retries: 3 attempts, 20 ms then 40 ms. */
	static final RetryPolicy FAST_RETRIES = new RetryPolicy(3, Duration.ofMillis(20), 2.0, Duration.ofMillis(100));

	private KafkaHandlerContexts() {
	}

	/**
	 * Create topics for a new service.
	 * @param partitions the partitions of each topic
	 * @return the service name
	 */
	static String newService(int partitions) {
		String service = KafkaTestBroker.uniqueName("svc");
		KafkaTopicInitializer initializer = new KafkaTopicInitializer(KafkaTestBroker.adminProperties(),
				KafkaTopics.forService(service), partitions, null, Duration.ofSeconds(30));
		initializer.initialize();
		initializer.initializeCompacted(service + "-control");
		return service;
	}

	/**
	 * Start a context and wait until every subscription has its partitions.
	 * @param service the service
	 * @param retries the retry policy
	 * @param startAtLatest whether new subscriptions start at the latest record
	 * @param handlers handler bean classes
	 * @return the running context
	 */
	static AnnotationConfigApplicationContext start(String service, RetryPolicy retries, boolean startAtLatest,
			Class<?>... handlers) {
		return start(service, List.of(), retries, startAtLatest, handlers);
	}

	/**
	 * Start a context whose subscriptions also read topics of other services, and wait
	 * until every subscription has its partitions.
	 * @param service the service
	 * @param subscribeTopics the other services' topics every subscription reads
	 * @param retries the retry policy
	 * @param startAtLatest whether new subscriptions start at the latest record
	 * @param handlers handler bean classes
	 * @return the running context
	 */
	static AnnotationConfigApplicationContext start(String service, List<String> subscribeTopics, RetryPolicy retries,
			boolean startAtLatest, Class<?>... handlers) {
		return start(service, subscribeTopics, retries, startAtLatest, (context) -> {
			for (Class<?> handler : handlers) {
				context.registerBean(handler);
			}
		});
	}

	/**
	 * Start a context with handler beans of the caller's, and wait until every
	 * subscription has its partitions.
	 * @param service the service
	 * @param retries the retry policy
	 * @param startAtLatest whether new subscriptions start at the latest record
	 * @param handlers the handler beans, by bean name
	 * @return the running context
	 */
	static AnnotationConfigApplicationContext start(String service, RetryPolicy retries, boolean startAtLatest,
			Map<String, Object> handlers) {
		return start(service, List.of(), retries, startAtLatest,
				(context) -> handlers.forEach((name, bean) -> register(context, name, bean)));
	}

	@SuppressWarnings("unchecked")
	private static <T> void register(AnnotationConfigApplicationContext context, String name, T bean) {
		context.registerBean(name, (Class<T>) bean.getClass(), () -> bean);
	}

	private static AnnotationConfigApplicationContext start(String service, List<String> subscribeTopics,
			RetryPolicy retries, boolean startAtLatest, Consumer<AnnotationConfigApplicationContext> beans) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		SubscriptionOptions options = new SubscriptionOptions(100, Duration.ofMillis(200),
				startAtLatest ? StartPosition.LATEST : StartPosition.EARLIEST, retries);
		context.registerBean(KafkaSubscriptionSettings.class, () -> {
			KafkaSubscriptionSettings settings = KafkaSubscriptionSettings
				.of(service, KafkaTopics.forService(service), options)
				.withSubscribeTopics(subscribeTopics);
			KafkaRouting routing = context.getBeanProvider(KafkaRouting.class).getIfAvailable();
			return (routing != null) ? settings.withRouting(routing) : settings;
		});
		context.register(Infrastructure.class);
		beans.accept(context);
		try {
			context.refresh();
		}
		catch (RuntimeException ex) {
			context.close();
			throw ex;
		}
		KafkaSubscriptions subscriptions = context.getBean(KafkaSubscriptions.class);
		await().atMost(KafkaTestBroker.timeout()).until(subscriptions::isAssigned);
		return context;
	}

	static AnnotationConfigApplicationContext start(String service, Class<?>... handlers) {
		return start(service, FAST_RETRIES, false, handlers);
	}

	/**
	 * Start a context that routes records among services, and wait until every
	 * subscription has its partitions.
	 * @param service the service, whose topics are named after it
	 * @param namespace the namespace it owns
	 * @param others the other services, whose topics are named after them
	 * @param handlers handler bean classes
	 * @return the running context
	 */
	static AnnotationConfigApplicationContext startRouted(String service, String namespace,
			List<ServiceDefinition> others, Class<?>... handlers) {
		ServiceRegistry services = new ServiceRegistry(new ServiceDefinition(service, namespace), "urn:" + service,
				others);
		KafkaRouting routing = new KafkaRouting(services, KafkaTopics.forService(service), Map.of());
		return start(service, List.of(), FAST_RETRIES, false, (context) -> {
			context.registerBean(ServiceRegistry.class, () -> services);
			context.registerBean(KafkaRouting.class, () -> routing);
			for (Class<?> handler : handlers) {
				context.registerBean(handler);
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableEventHandlers
	static class Infrastructure {

		@Bean
		RecordFactory recordFactory(KafkaSubscriptionSettings settings, ObjectProvider<RecordUpcaster> upcasters,
				ObjectProvider<PayloadValidator> validator) {
			return new RecordFactory(new RecordTypeRegistry("urn:" + settings.groupPrefix()),
					new JacksonPayloadConverter(KafkaStoreFixture.MAPPER),
					validator.getIfAvailable(PayloadValidator::none), "urn:" + settings.groupPrefix(),
					upcasters.orderedStream().toList());
		}

		@Bean
		KafkaEventStore eventStore(KafkaSubscriptionSettings settings, RecordFactory recordFactory,
				ObjectProvider<ProducerPostProcessor<String, byte[]>> postProcessors,
				ObjectProvider<KafkaRouting> routing) {
			DefaultKafkaProducerFactory<String, byte[]> factory = KafkaEventStore.producerFactory(
					KafkaTestBroker.producerProperties(), KafkaTestBroker.uniqueName(settings.groupPrefix() + "-tx"));
			postProcessors.orderedStream().forEach(factory::addPostProcessor);
			KafkaEventStore store = new KafkaEventStore(factory, KafkaTopics.forService(settings.groupPrefix()),
					recordFactory, KafkaStoreFixture.serializer());
			routing.ifAvailable(store::setRouting);
			return store;
		}

		@Bean
		KafkaSubscriptions kafkaSubscriptions(KafkaEventStore store, HandlerEndpointRegistry registry,
				KafkaSubscriptionSettings settings, ObjectProvider<Consumer<KafkaSubscriptions>> customizers) {
			KafkaSubscriptions subscriptions = new KafkaSubscriptions(store, registry,
					KafkaTestBroker.consumerProperties(), settings);
			subscriptions.setControl(new KafkaSubscriptionControl(KafkaTestBroker.consumerProperties(), store,
					settings.controlTopic(), Duration.ofSeconds(10)));
			customizers.orderedStream().forEach((customizer) -> customizer.accept(subscriptions));
			return subscriptions;
		}

		@Bean
		KafkaDeadLetters deadLetters(KafkaEventStore store, KafkaSubscriptionSettings settings) {
			return new KafkaDeadLetters(store, KafkaTestBroker.consumerProperties(), settings);
		}

		@Bean
		KafkaSubscriptionOperations subscriptionOperations(KafkaSubscriptions subscriptions,
				KafkaDeadLetters deadLetters) {
			return new KafkaSubscriptionOperations(subscriptions, deadLetters, KafkaTestBroker.adminProperties(),
					Duration.ofSeconds(10));
		}

		@Bean
		CaughtUp caughtUp() {
			return new CaughtUp();
		}

	}

	/**
	 * Collects {@link SubscriptionCaughtUpEvent}s.
	 */
	static class CaughtUp implements ApplicationListener<SubscriptionCaughtUpEvent> {

		final List<String> subscriptions = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(SubscriptionCaughtUpEvent event) {
			this.subscriptions.add(event.subscription());
		}

	}

}
