package io.eventy.autoconfigure.metrics;

import io.eventy.handler.HandlerEndpointRegistry;
import io.eventy.handler.HandlerObserver;
import io.eventy.store.postgres.PostgresSubscriptionMonitor;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of Micrometer metrics for the handler subscriptions of both stores
 * ({@link MicrometerHandlerObserver}), and of the lag gauges of PostgreSQL subscriptions
 * ({@link PostgresSubscriptionLagMeters}), when the application has a
 * {@link MeterRegistry} (as Spring Boot's actuator defines one).
 */
@AutoConfiguration(afterName = {
		"org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
		"io.eventy.autoconfigure.handler.EventyHandlersAutoConfiguration",
		"io.eventy.autoconfigure.kafka.EventyKafkaHandlersAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class EventyMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(HandlerObserver.class)
	MicrometerHandlerObserver eventyHandlerObserver(MeterRegistry registry) {
		return new MicrometerHandlerObserver(registry);
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

}
