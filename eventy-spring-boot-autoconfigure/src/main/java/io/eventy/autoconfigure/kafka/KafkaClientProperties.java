package io.eventy.autoconfigure.kafka;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SslConfigs;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.util.StringUtils;

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
			KafkaConnectionDetails connectionDetails) {
		Map<String, Object> properties = new HashMap<>((kafkaAdmin != null) ? kafkaAdmin.getConfigurationProperties()
				: withConnection(kafkaProperties.buildAdminProperties(), connectionDetails.getAdmin()));
		// Kafka 4's admin client, when no bootstrap server answers, "rebootstraps" in a
		// loop that logs thousands of lines a second; Eventy's admin clients live for one
		// check and start from the bootstrap servers each time
		properties.putIfAbsent(AdminClientConfig.METADATA_RECOVERY_STRATEGY_CONFIG, "none");
		return properties;
	}

	static Map<String, Object> consumer(ObjectProvider<ConsumerFactory<?, ?>> consumerFactory,
			KafkaProperties kafkaProperties, KafkaConnectionDetails connectionDetails) {
		ConsumerFactory<?, ?> boot = consumerFactory.getIfUnique();
		if (boot != null) {
			return boot.getConfigurationProperties();
		}
		return withConnection(kafkaProperties.buildConsumerProperties(), connectionDetails.getConsumer());
	}

	static Map<String, Object> producer(KafkaProperties kafkaProperties, KafkaConnectionDetails connectionDetails) {
		return withConnection(kafkaProperties.buildProducerProperties(), connectionDetails.getProducer());
	}

	/**
	 * Apply a client's connection details as Spring Boot applies them to its own clients:
	 * bootstrap servers, security protocol and SSL bundle.
	 * @param properties the client properties from {@code spring.kafka.*}
	 * @param connection the client's connection details
	 * @return a copy with the connection details applied
	 */
	private static Map<String, Object> withConnection(Map<String, Object> properties,
			KafkaConnectionDetails.Configuration connection) {
		Map<String, Object> copy = new HashMap<>(properties);
		copy.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", connection.getBootstrapServers()));
		String securityProtocol = connection.getSecurityProtocol();
		if (StringUtils.hasLength(securityProtocol)) {
			copy.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol);
		}
		SslBundle sslBundle = connection.getSslBundle();
		if (sslBundle != null) {
			copy.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, SslBundleSslEngineFactory.class);
			copy.put(SslBundle.class.getName(), sslBundle);
		}
		return copy;
	}

}
