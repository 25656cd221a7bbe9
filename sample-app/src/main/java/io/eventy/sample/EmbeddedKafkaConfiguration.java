package io.eventy.sample;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.util.StringUtils;

/**
 * In Kafka mode ({@code eventy.store.type=kafka}), starts an in-JVM Kafka broker (one
 * KRaft node) when no {@code spring.kafka.bootstrap-servers} is set, so the sample runs
 * with no external service. Every Kafka client of the application, Eventy's included,
 * connects to it through the {@link KafkaConnectionDetails} bean. Its data is gone when
 * the application stops.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "eventy.store.type", havingValue = "kafka")
@Conditional(EmbeddedKafkaConfiguration.NoBootstrapServersCondition.class)
class EmbeddedKafkaConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedKafkaConfiguration.class);

	/**
	 * The loggers of the broker itself (not of the Kafka clients), switched off: a demo
	 * broker's housekeeping is of no interest, and when the JVM stops, a shutdown hook of
	 * Kafka's test kit deletes its directory while the broker still writes to it.
	 */
	private static final List<String> BROKER_LOGGERS = List.of("kafka", "state.change.logger",
			"org.apache.kafka.controller", "org.apache.kafka.coordinator", "org.apache.kafka.image",
			"org.apache.kafka.metadata", "org.apache.kafka.queue", "org.apache.kafka.raft", "org.apache.kafka.server",
			"org.apache.kafka.snapshot", "org.apache.kafka.storage");

	@Bean
	EmbeddedKafkaKraftBroker embeddedKafkaBroker() {
		LoggingSystem loggingSystem = LoggingSystem.get(EmbeddedKafkaConfiguration.class.getClassLoader());
		BROKER_LOGGERS.forEach((name) -> loggingSystem.setLogLevel(name, LogLevel.OFF));
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
		// no system property: the connection details bean tells the clients where it is
		broker.brokerListProperty(null);
		// one broker: the transaction state log cannot have more replicas
		broker.brokerProperties(
				Map.of("transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1"));
		return broker;
	}

	@Bean
	KafkaConnectionDetails embeddedKafkaConnectionDetails(EmbeddedKafkaKraftBroker broker) {
		String servers = broker.getBrokersAsString();
		logger.info("Started an embedded Kafka broker at {} because spring.kafka.bootstrap-servers is not set; "
				+ "its data is deleted when the application stops", servers);
		return () -> List.of(StringUtils.commaDelimitedListToStringArray(servers));
	}

	/**
	 * Matches when {@code spring.kafka.bootstrap-servers} is not set.
	 */
	static class NoBootstrapServersCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			String servers = context.getEnvironment().getProperty("spring.kafka.bootstrap-servers");
			return StringUtils.hasText(servers) ? ConditionOutcome.noMatch("spring.kafka.bootstrap-servers is set")
					: ConditionOutcome.match("spring.kafka.bootstrap-servers is not set");
		}

	}

}
