package io.eventy.autoconfigure.management;

import io.eventy.autoconfigure.EventyProperties;
import io.eventy.handler.DeadLetters;
import io.eventy.handler.Subscriptions;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code eventy} actuator endpoint when the actuator is
 * present, the endpoint is available (enabled and exposed) and the service has
 * {@link Subscriptions} and {@link DeadLetters}. It only reads unless
 * {@code eventy.management.write-operations.enabled=true}, then it is a
 * {@link WritableEventyEndpoint}.
 */
@AutoConfiguration(afterName = { "io.eventy.autoconfigure.handler.EventyHandlersAutoConfiguration",
		"io.eventy.autoconfigure.kafka.EventyKafkaHandlersAutoConfiguration" })
@ConditionalOnClass({ WebEndpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnAvailableEndpoint(EventyEndpoint.class)
@ConditionalOnBean({ Subscriptions.class, DeadLetters.class })
@EnableConfigurationProperties(EventyProperties.class)
public final class EventyManagementAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(EventyEndpoint.class)
	@ConditionalOnProperty(name = "eventy.management.write-operations.enabled", havingValue = "false",
			matchIfMissing = true)
	EventyEndpoint eventyEndpoint(Subscriptions subscriptions, DeadLetters deadLetters) {
		return new EventyEndpoint(subscriptions, deadLetters);
	}

	@Bean
	@ConditionalOnMissingBean(EventyEndpoint.class)
	@ConditionalOnProperty(name = "eventy.management.write-operations.enabled", havingValue = "true")
	WritableEventyEndpoint eventyWritableEndpoint(Subscriptions subscriptions, DeadLetters deadLetters) {
		return new WritableEventyEndpoint(subscriptions, deadLetters);
	}

}
