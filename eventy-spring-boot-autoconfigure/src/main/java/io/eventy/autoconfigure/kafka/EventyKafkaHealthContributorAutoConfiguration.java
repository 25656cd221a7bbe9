package io.eventy.autoconfigure.kafka;

import io.eventy.autoconfigure.EventyProperties;
import io.eventy.store.kafka.KafkaEventStore;
import io.eventy.store.kafka.KafkaSubscriptions;
import org.apache.kafka.clients.admin.Admin;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Auto-configuration of the {@link EventyKafkaHealthIndicator} when the actuator is
 * present and records are stored on Kafka; switched off with
 * {@code management.health.eventy-kafka.enabled=false}.
 */
@AutoConfiguration(after = { EventyKafkaAutoConfiguration.class, EventyKafkaHandlersAutoConfiguration.class })
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class, Admin.class,
		KafkaProperties.class })
@ConditionalOnBean(KafkaEventStore.class)
@ConditionalOnEnabledHealthIndicator("eventy-kafka")
public final class EventyKafkaHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "eventyKafkaHealthIndicator")
	EventyKafkaHealthIndicator eventyKafkaHealthIndicator(EventyProperties properties,
			ObjectProvider<KafkaAdmin> kafkaAdmin, KafkaProperties kafkaProperties,
			KafkaConnectionDetails connectionDetails, ObjectProvider<KafkaSubscriptions> subscriptions) {
		return new EventyKafkaHealthIndicator(
				KafkaClientProperties.admin(kafkaAdmin.getIfUnique(), kafkaProperties, connectionDetails),
				properties.getKafka().getHealthTimeout(), subscriptions.getIfAvailable());
	}

}
