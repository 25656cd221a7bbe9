package io.eventy.autoconfigure.kafka;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.kafka.KafkaConnectionDetails;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The Kafka client properties Eventy's clients start from: those of Spring Boot's
 * {@link KafkaAdmin} or {@link ConsumerFactory} when the application has one, else
 * {@code spring.kafka.*} with the bootstrap servers of the {@link KafkaConnectionDetails}
 * (a {@code @ServiceConnection} wins over the property).
 */
final class KafkaClientProperties {

	private KafkaClientProperties() {
	}

	static Map<String, Object> admin(@Nullable KafkaAdmin kafkaAdmin, KafkaProperties kafkaProperties,
			KafkaConnectionDetails connectionDetails, @Nullable SslBundles sslBundles) {
		if (kafkaAdmin != null) {
			return kafkaAdmin.getConfigurationProperties();
		}
		return withBootstrapServers(kafkaProperties.buildAdminProperties(sslBundles),
				String.join(",", connectionDetails.getAdminBootstrapServers()));
	}

	static Map<String, Object> consumer(ObjectProvider<ConsumerFactory<?, ?>> consumerFactory,
			KafkaProperties kafkaProperties, KafkaConnectionDetails connectionDetails,
			ObjectProvider<SslBundles> sslBundles) {
		ConsumerFactory<?, ?> boot = consumerFactory.getIfUnique();
		if (boot != null) {
			return boot.getConfigurationProperties();
		}
		return withBootstrapServers(kafkaProperties.buildConsumerProperties(sslBundles.getIfAvailable()),
				String.join(",", connectionDetails.getConsumerBootstrapServers()));
	}

	static Map<String, Object> withBootstrapServers(Map<String, Object> properties, String servers) {
		Map<String, Object> copy = new HashMap<>(properties);
		copy.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers);
		return copy;
	}

}
