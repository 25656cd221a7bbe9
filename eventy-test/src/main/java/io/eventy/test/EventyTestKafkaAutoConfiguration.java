package io.eventy.test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Connects an application on the Kafka store that configures no broker to an in-JVM Kafka
 * broker, started once per JVM. Imported by {@link EventyTest}.
 */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@ConditionalOnClass({ EmbeddedKafkaKraftBroker.class, KafkaConnectionDetails.class })
@ConditionalOnProperty(name = "eventy.store.type", havingValue = "kafka")
@ConditionalOnMissingBean(KafkaConnectionDetails.class)
@Conditional(UnsetPropertyCondition.NoKafkaBootstrapServers.class)
public final class EventyTestKafkaAutoConfiguration {

	@Bean
	EmbeddedKafkaConnectionDetails eventyTestKafkaConnectionDetails() {
		return new EmbeddedKafkaConnectionDetails();
	}

}
