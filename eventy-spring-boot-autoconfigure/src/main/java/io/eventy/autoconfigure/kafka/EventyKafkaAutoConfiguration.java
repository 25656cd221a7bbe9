package io.eventy.autoconfigure.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.eventy.autoconfigure.EventyAutoConfiguration;
import io.eventy.autoconfigure.EventyConfigurationException;
import io.eventy.autoconfigure.EventyProperties;
import io.eventy.autoconfigure.EventyService;
import io.eventy.record.RecordFactory;
import io.eventy.serializer.RecordSerializer;
import io.eventy.service.ServiceRegistry;
import io.eventy.store.EventStore;
import io.eventy.store.kafka.KafkaEventStore;
import io.eventy.store.kafka.KafkaRouting;
import io.eventy.store.kafka.KafkaTopicInitializer;
import io.eventy.store.kafka.KafkaTopics;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Conditional;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Auto-configuration of the Kafka {@link EventStore}, chosen by
 * {@code eventy.store.type=kafka}, or when no store type is set, the application has no
 * {@code DataSource} and Spring Boot's Kafka support is on the classpath (what
 * {@code eventy-spring-boot-starter-kafka} brings). The store's Kafka clients use Spring
 * Boot's Kafka settings ({@code spring.kafka.*}, or the {@link KafkaConnectionDetails} of
 * a {@code @ServiceConnection}) with Eventy's overrides (see
 * {@link KafkaEventStore#producerFactory(Map, String)}). Records go to the topics of
 * {@code eventy.kafka.*}, by default {@code <service>-events}, {@code <service>-requests}
 * and {@code <service>-responses}, named after the {@link EventyService}; missing topics
 * and their {@code .DLT} topics are created at startup unless
 * {@code eventy.kafka.create-topics=false}; the {@code .DLT} topics then get
 * {@code eventy.retention.dead-letters}, when it is set, as their {@code retention.ms}.
 */
@AutoConfiguration(after = EventyAutoConfiguration.class,
		afterName = { "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
@Conditional(EventyKafkaAutoConfiguration.KafkaStoreCondition.class)
public final class EventyKafkaAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ProducerFactory.class, KafkaProperties.class })
	static class KafkaStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean
		KafkaTopics eventyKafkaTopics(EventyProperties properties, EventyService service) {
			EventyProperties.Kafka kafka = properties.getKafka();
			KafkaTopics defaults = serviceTopics(service, kafka);
			return new KafkaTopics(orDefault(kafka.getEventsTopic(), defaults.events()),
					orDefault(kafka.getRequestsTopic(), defaults.requests()),
					orDefault(kafka.getResponsesTopic(), defaults.responses()));
		}

		@Bean(initMethod = "initialize")
		@ConditionalOnMissingBean
		@ConditionalOnProperty(name = "eventy.kafka.create-topics", havingValue = "true", matchIfMissing = true)
		KafkaTopicInitializer eventyKafkaTopicInitializer(EventyProperties properties, KafkaTopics topics,
				ObjectProvider<KafkaAdmin> kafkaAdmin, KafkaProperties kafkaProperties,
				KafkaConnectionDetails connectionDetails) {
			Map<String, Object> admin = KafkaClientProperties.admin(kafkaAdmin.getIfUnique(), kafkaProperties,
					connectionDetails);
			EventyProperties.Kafka kafka = properties.getKafka();
			KafkaTopicInitializer initializer = new KafkaTopicInitializer(admin, topics, kafka.getPartitions(),
					kafka.getReplicationFactor(), adminTimeout(kafkaProperties));
			initializer.setDeadLetterRetention(properties.getRetention().getDeadLetters());
			return initializer;
		}

		@Bean
		@ConditionalOnMissingBean
		KafkaRouting eventyKafkaRouting(ServiceRegistry services, KafkaTopics topics, EventyProperties properties) {
			Map<String, KafkaTopics> otherTopics = new LinkedHashMap<>();
			properties.getServices().forEach((name, other) -> {
				if (other.getEventsTopic() != null || other.getRequestsTopic() != null
						|| other.getResponsesTopic() != null) {
					KafkaTopics defaults = KafkaTopics.forService(name);
					otherTopics.put(name,
							new KafkaTopics(orDefault(other.getEventsTopic(), defaults.events()),
									orDefault(other.getRequestsTopic(), defaults.requests()),
									orDefault(other.getResponsesTopic(), defaults.responses())));
				}
			});
			return new KafkaRouting(services, topics, otherTopics);
		}

		@Bean
		@ConditionalOnMissingBean(EventStore.class)
		KafkaEventStore eventStore(KafkaTopics topics, EventyService service, RecordFactory recordFactory,
				RecordSerializer serializer, ObjectProvider<ProducerFactory<?, ?>> producerFactory,
				EventyProperties properties, KafkaProperties kafkaProperties, KafkaConnectionDetails connectionDetails,
				ObjectProvider<KafkaTopicInitializer> topicInitializer,
				ObjectProvider<EventyKafkaProducerFactoryCustomizer> customizers, KafkaRouting routing) {
			// created after the topics, so that the first append finds them
			topicInitializer.ifAvailable((initializer) -> {
			});
			ProducerFactory<?, ?> boot = producerFactory.getIfUnique();
			Map<String, Object> producer = (boot != null) ? boot.getConfigurationProperties()
					: KafkaClientProperties.producer(kafkaProperties, connectionDetails);
			String bootPrefix = (boot != null && boot.getTransactionIdPrefix() != null) ? boot.getTransactionIdPrefix()
					: kafkaProperties.getProducer().getTransactionIdPrefix();
			String prefix = transactionIdPrefix(properties.getKafka().getTransactionIdPrefix(), bootPrefix);
			DefaultKafkaProducerFactory<String, byte[]> factory = KafkaEventStore.producerFactory(producer,
					(prefix != null) ? prefix : defaultTransactionIdPrefix(service));
			customizers.orderedStream().forEach((customizer) -> customizer.customize(factory));
			KafkaEventStore store = new KafkaEventStore(factory, topics, recordFactory, serializer);
			store.setRouting(routing);
			if (prefix != null) {
				// the same prefix as before a restart: what the previous run left open
				// would hide later records from every subscription until the
				// broker's transaction timeout
				store.fenceAbandonedTransactions(adminTimeout(kafkaProperties));
			}
			return store;
		}

		/**
		 * Return the prefix of Eventy's transactional ids when the application sets one
		 * that is stable across restarts.
		 */
		private static @Nullable String transactionIdPrefix(@Nullable String eventyPrefix,
				@Nullable String bootPrefix) {
			if (eventyPrefix == null) {
				// never one of the ids the application's own producers use: the same
				// ids would fence each other
				return (bootPrefix != null) ? bootPrefix + "eventy-" : null;
			}
			if (eventyPrefix.equals(bootPrefix)) {
				throw new EventyConfigurationException("'eventy.kafka.transaction-id-prefix' is '" + eventyPrefix
						+ "', the same as 'spring.kafka.producer.transaction-id-prefix': Eventy's producers and the "
						+ "application's own would use the same transactional ids and fence each other.",
						"Give 'eventy.kafka.transaction-id-prefix' a value of its own, such as '" + eventyPrefix
								+ "eventy-', or remove it: Eventy then uses '" + eventyPrefix + "eventy-'.");
			}
			return eventyPrefix;
		}

		private static Duration adminTimeout(KafkaProperties kafkaProperties) {
			return (kafkaProperties.getAdmin().getOperationTimeout() != null)
					? kafkaProperties.getAdmin().getOperationTimeout() : Duration.ofSeconds(30);
		}

		private static KafkaTopics serviceTopics(EventyService service, EventyProperties.Kafka kafka) {
			try {
				return KafkaTopics.forService(service.name());
			}
			catch (IllegalArgumentException ex) {
				if (kafka.getEventsTopic() != null && kafka.getRequestsTopic() != null
						&& kafka.getResponsesTopic() != null) {
					return new KafkaTopics(kafka.getEventsTopic(), kafka.getRequestsTopic(), kafka.getResponsesTopic());
				}
				throw new EventyConfigurationException("The service name '" + service.name()
						+ "' does not make Kafka topic names, which Eventy derives from it ('<service>-events', "
						+ "'<service>-requests', '<service>-responses').",
						"Set 'eventy.kafka.events-topic', 'eventy.kafka.requests-topic' and "
								+ "'eventy.kafka.responses-topic', or use a service name of letters, digits, '.', "
								+ "'_' and '-'.");
			}
		}

		private static String defaultTransactionIdPrefix(EventyService service) {
			// unique to each run: instances sharing a transactional id would fence each
			// other; with nothing stable, a restarted instance cannot fence what its
			// predecessor left open
			return "eventy-" + service.name() + "-" + UUID.randomUUID().toString().substring(0, 8) + "-";
		}

		private static String orDefault(@Nullable String value, String fallback) {
			return (value != null) ? value : fallback;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(MissingKafkaSupportCondition.class)
	static class MissingKafkaSupportConfiguration implements InitializingBean {

		@Override
		public void afterPropertiesSet() {
			throw new EventyConfigurationException(
					"'eventy.store.type' is 'kafka', so Eventy stores records on Kafka, but Spring for Apache Kafka "
							+ "or Spring Boot's Kafka support (spring-boot-kafka) is not on the classpath.",
					"Depend on io.eventy:eventy-spring-boot-starter-kafka (or add "
							+ "org.springframework.boot:spring-boot-starter-kafka), or set "
							+ "'eventy.store.type=postgres' to store records in PostgreSQL.");
		}

	}

	/**
	 * The Kafka store is chosen explicitly, or by default when there is no
	 * {@code DataSource} for the PostgreSQL store and Spring Boot's Kafka support is
	 * there.
	 */
	static class KafkaStoreCondition extends AnyNestedCondition {

		KafkaStoreCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty(name = "eventy.store.type", havingValue = "kafka")
		static class Chosen {

		}

		@ConditionalOnProperty(name = "eventy.store.type", havingValue = "kafka", matchIfMissing = true)
		@ConditionalOnClass(name = "org.springframework.boot.kafka.autoconfigure.KafkaProperties")
		@ConditionalOnMissingBean(type = "javax.sql.DataSource")
		static class DefaultWithoutDataSource {

		}

	}

	static class MissingKafkaSupportCondition extends AnyNestedCondition {

		MissingKafkaSupportCondition() {
			super(ConfigurationPhase.PARSE_CONFIGURATION);
		}

		@ConditionalOnMissingClass("org.springframework.kafka.core.ProducerFactory")
		static class NoSpringKafka {

		}

		@ConditionalOnMissingClass("org.springframework.boot.kafka.autoconfigure.KafkaProperties")
		static class NoSpringBootKafka {

		}

	}

}
