package io.eventy.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.utils.Exit;
import org.jspecify.annotations.Nullable;
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
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.util.StringUtils;

/**
 * In Kafka mode ({@code eventy.store.type=kafka}), starts an in-JVM Kafka broker (one
 * KRaft node) when no {@code spring.kafka.bootstrap-servers} is set, so the sample runs
 * with no external service. Every Kafka client of the application, Eventy's included,
 * connects to it through the {@link KafkaConnectionDetails} bean. Its data is gone when
 * the application stops.
 * <p>
 * The broker stops when the application context closes, after every lifecycle bean
 * (Eventy's subscriptions, the web server) stopped: on {@code SIGTERM} Spring Boot's
 * shutdown hook closes the context. Kafka's test kit would also delete the broker's
 * directory from a JVM shutdown hook of its own, but JVM shutdown hooks run concurrently,
 * so the directory would go while the broker still writes to it; that deletion runs once
 * the broker stopped instead (see {@link EmbeddedKafka}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "eventy.store.type", havingValue = "kafka")
@Conditional(EmbeddedKafkaConfiguration.NoBootstrapServersCondition.class)
class EmbeddedKafkaConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedKafkaConfiguration.class);

	/**
	 * The loggers of the broker itself (not of the Kafka clients), switched off: a demo
	 * broker's housekeeping is of no interest.
	 */
	private static final List<String> BROKER_LOGGERS = List.of("kafka", "state.change.logger",
			"org.apache.kafka.controller", "org.apache.kafka.coordinator", "org.apache.kafka.image",
			"org.apache.kafka.metadata", "org.apache.kafka.queue", "org.apache.kafka.raft", "org.apache.kafka.server",
			"org.apache.kafka.snapshot", "org.apache.kafka.storage");

	@Bean(destroyMethod = "close")
	EmbeddedKafka embeddedKafka() {
		LoggingSystem loggingSystem = LoggingSystem.get(EmbeddedKafkaConfiguration.class.getClassLoader());
		BROKER_LOGGERS.forEach((name) -> loggingSystem.setLogLevel(name, LogLevel.OFF));
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
		// one broker: the transaction state log cannot have more replicas
		broker.brokerProperties(
				Map.of("transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1"));
		EmbeddedKafka kafka = EmbeddedKafka.start(broker);
		logger.info("Started an embedded Kafka broker at {} because spring.kafka.bootstrap-servers is not set; "
				+ "its data is deleted when the application stops", kafka.bootstrapServers());
		return kafka;
	}

	@Bean
	KafkaConnectionDetails embeddedKafkaConnectionDetails(EmbeddedKafka kafka) {
		List<String> servers = List.of(StringUtils.commaDelimitedListToStringArray(kafka.bootstrapServers()));
		return () -> servers;
	}

	/**
	 * The started broker; {@link #close()} stops it, then deletes its directory.
	 */
	static final class EmbeddedKafka implements AutoCloseable {

		private final EmbeddedKafkaKraftBroker broker;

		private final List<Runnable> cleanups;

		private EmbeddedKafka(EmbeddedKafkaKraftBroker broker, List<Runnable> cleanups) {
			this.broker = broker;
			this.cleanups = cleanups;
		}

		/**
		 * Start a broker. The JVM shutdown hooks Kafka's test kit registers meanwhile
		 * (deleting the broker's directory) are kept to run on {@link #close()} instead,
		 * and the system property the broker sets is restored: the clients find the
		 * broker through the connection details bean.
		 * @param broker the broker, not started
		 * @return the started broker
		 */
		static EmbeddedKafka start(EmbeddedKafkaKraftBroker broker) {
			String property = EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS;
			@Nullable String previous = System.getProperty(property);
			broker.brokerListProperty(property);
			List<Runnable> cleanups = new ArrayList<>();
			// the application starts on one thread: no other Kafka code adds hooks now
			Exit.setShutdownHookAdder((name, hook) -> cleanups.add(hook));
			try {
				broker.afterPropertiesSet();
			}
			catch (RuntimeException ex) {
				try {
					new EmbeddedKafka(broker, cleanups).close();
				}
				catch (RuntimeException closeFailure) {
					ex.addSuppressed(closeFailure);
				}
				throw ex;
			}
			finally {
				Exit.resetShutdownHookAdder();
				if (previous != null) {
					System.setProperty(property, previous);
				}
				else {
					System.clearProperty(property);
				}
			}
			return new EmbeddedKafka(broker, cleanups);
		}

		/**
		 * Return where the broker listens.
		 * @return its bootstrap servers, comma-separated
		 */
		String bootstrapServers() {
			return this.broker.getBrokersAsString();
		}

		/**
		 * Stop the broker, then delete its directory.
		 */
		@Override
		public void close() {
			try {
				this.broker.destroy();
			}
			finally {
				this.cleanups.forEach(Runnable::run);
			}
		}

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
