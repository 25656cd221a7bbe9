package io.eventy.autoconfigure.kafka;

import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

/**
 * Customizes the consumer factory of each Kafka subscription before its consumers start.
 * Every bean of this type is applied, in order. Spring Boot's own
 * {@code DefaultKafkaConsumerFactoryCustomizer} beans are not: they are meant for the
 * application's consumer factory, and may change its deserializers.
 */
@FunctionalInterface
public interface EventyKafkaConsumerFactoryCustomizer {

	/**
	 * Customize a subscription's consumer factory.
	 * @param factory the factory of one subscription (its consumer group is in
	 * {@code getConfigurationProperties()})
	 */
	void customize(DefaultKafkaConsumerFactory<String, byte[]> factory);

}
