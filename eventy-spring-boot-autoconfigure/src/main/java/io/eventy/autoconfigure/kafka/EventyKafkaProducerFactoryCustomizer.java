package io.eventy.autoconfigure.kafka;

import org.springframework.kafka.core.DefaultKafkaProducerFactory;

/**
 * Customizes the transactional producer factory of the Kafka store before it sends
 * anything. Every bean of this type is applied, in order. Spring Boot's own
 * {@code DefaultKafkaProducerFactoryCustomizer} beans are not: they are meant for the
 * application's producer factory, and may change its serializers.
 */
@FunctionalInterface
public interface EventyKafkaProducerFactoryCustomizer {

	/**
	 * Customize the store's producer factory.
	 * @param factory the factory
	 */
	void customize(DefaultKafkaProducerFactory<String, byte[]> factory);

}
