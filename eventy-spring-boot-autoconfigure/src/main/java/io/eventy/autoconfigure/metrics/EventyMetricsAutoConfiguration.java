package io.eventy.autoconfigure.metrics;

import io.eventy.handler.HandlerEndpointRegistry;
import io.eventy.handler.HandlerObserver;
import io.eventy.request.DefaultRequestClient;
import io.eventy.store.postgres.PostgresSubscriptionMonitor;
import io.eventy.store.kafka.KafkaSubscriptions;
import io.eventy.store.postgres.PostgresSubscriptions;
import io.eventy.autoconfigure.kafka.EventyKafkaConsumerFactoryCustomizer;
import io.eventy.autoconfigure.kafka.EventyKafkaProducerFactoryCustomizer;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.core.MicrometerProducerListener;

/**
 * Auto-configuration of Micrometer metrics for the handler subscriptions of both stores
 * ({@link MicrometerHandlerObserver}), and of the lag gauges of PostgreSQL subscriptions
 * ({@link PostgresSubscriptionLagMeters}) and the lag and position gauges of Kafka
 * subscriptions ({@link KafkaSubscriptionProgressMeters}), of the request client
 * ({@link RequestClientMeters}), and of the Kafka clients' own metrics for the Kafka
 * store, when the application has a {@link MeterRegistry} (as Spring Boot's actuator
 * defines one).
 */
@AutoConfiguration(afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
		"io.eventy.autoconfigure.handler.EventyHandlersAutoConfiguration",
		"io.eventy.autoconfigure.kafka.EventyKafkaHandlersAutoConfiguration",
		"io.eventy.autoconfigure.request.EventyRequestsAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class EventyMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(HandlerObserver.class)
	MicrometerHandlerObserver eventyHandlerObserver(MeterRegistry registry) {
		return new MicrometerHandlerObserver(registry);
	}

	/**
	 * The Kafka clients' own metrics ({@code kafka.consumer.*}, {@code kafka.producer.*},
	 * among them each consumer's {@code records-lag-max}) for the store's producer and
	 * every subscription's consumers, bound as Spring Boot binds its own clients' and
	 * with the same tags (a consumer's {@code client.id} starts with its group), so that
	 * both share each meter name in registries that need one set of tag keys per name.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.kafka.core.MicrometerConsumerListener",
			"io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics" })
	@ConditionalOnBean(type = "io.eventy.store.kafka.KafkaEventStore")
	static class KafkaClientMetricsConfiguration {

		@Bean
		EventyKafkaConsumerFactoryCustomizer eventyKafkaConsumerMetrics(MeterRegistry registry) {
			return (factory) -> factory.addListener(new MicrometerConsumerListener<>(registry));
		}

		@Bean
		EventyKafkaProducerFactoryCustomizer eventyKafkaProducerMetrics(MeterRegistry registry) {
			return (factory) -> factory.addListener(new MicrometerProducerListener<>(registry));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(DefaultRequestClient.class)
	static class RequestClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RequestClientMeters eventyRequestClientMeters(DefaultRequestClient client, MeterRegistry registry) {
			return new RequestClientMeters(client, registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean({ PostgresSubscriptionMonitor.class, HandlerEndpointRegistry.class })
	static class PostgresLagConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PostgresSubscriptionLagMeters eventySubscriptionLagMeters(PostgresSubscriptionMonitor monitor,
				HandlerEndpointRegistry handlers, MeterRegistry registry) {
			return new PostgresSubscriptionLagMeters(monitor, handlers, registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.kafka.core.ConsumerFactory")
	@ConditionalOnBean(type = "io.eventy.store.kafka.KafkaSubscriptions", value = HandlerEndpointRegistry.class)
	static class KafkaProgressConfiguration {

		@Bean
		@ConditionalOnMissingBean
		KafkaSubscriptionProgressMeters eventyKafkaSubscriptionProgressMeters(KafkaSubscriptions subscriptions,
				HandlerEndpointRegistry handlers, MeterRegistry registry) {
			return new KafkaSubscriptionProgressMeters(subscriptions, handlers, registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean({ PostgresSubscriptions.class, HandlerEndpointRegistry.class })
	static class PostgresStallConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PostgresSubscriptionStallMeters eventySubscriptionStallMeters(PostgresSubscriptions subscriptions,
				HandlerEndpointRegistry handlers, MeterRegistry registry) {
			return new PostgresSubscriptionStallMeters(subscriptions, handlers, registry);
		}

	}

}
