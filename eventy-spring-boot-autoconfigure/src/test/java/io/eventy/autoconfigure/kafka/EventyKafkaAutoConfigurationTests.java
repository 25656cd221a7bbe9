package io.eventy.autoconfigure.kafka;

import javax.sql.DataSource;

import java.net.ServerSocket;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.autoconfigure.EventyAutoConfiguration;
import io.eventy.autoconfigure.EventyConfigurationException;
import io.eventy.autoconfigure.EventyService;
import io.eventy.autoconfigure.StartupFailures;
import io.eventy.autoconfigure.scan.ScannedOrderPlaced;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.service.ServiceRegistry;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.UnsupportedStoreOperationException;
import io.eventy.store.kafka.KafkaEventStore;
import io.eventy.store.kafka.KafkaRouting;
import io.eventy.store.kafka.KafkaTopicInitializer;
import io.eventy.store.kafka.KafkaTopics;
import io.eventy.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.eventy.store.kafka.KafkaTopicsUnavailableException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class EventyKafkaAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ValidationAutoConfiguration.class,
				KafkaAutoConfiguration.class, EventyAutoConfiguration.class, EventyKafkaAutoConfiguration.class));

	private ApplicationContextRunner onKafka(String service) {
		return this.contextRunner.withPropertyValues("spring.application.name=" + service, "eventy.store.type=kafka",
				"spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers());
	}

	@Test
	void storesOnKafkaWhenTheStoreTypeIsKafka() {
		String service = KafkaTestBroker.uniqueName("orders");
		onKafka(service).run((context) -> {
			assertThat(context).hasSingleBean(EventStore.class);
			EventStore store = context.getBean(EventStore.class);
			assertThat(store).isInstanceOf(KafkaEventStore.class);
			StoredRecord stored = store
				.append(StreamId.of("order", "1"), ExpectedVersion.any(), new ScannedOrderPlaced("1", 100))
				.records()
				.get(0);
			assertThat(stored.record().source()).isEqualTo("urn:" + service);
			assertThat(read(service + "-events")).singleElement()
				.satisfies((record) -> assertThat(record.key()).isEqualTo("order-1"));
		});
	}

	@Test
	void storesOnKafkaByDefaultWithoutADataSource() {
		this.contextRunner
			.withPropertyValues("spring.application.name=" + KafkaTestBroker.uniqueName("orders"),
					"spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers())
			.run((context) -> assertThat(context).hasSingleBean(KafkaEventStore.class));
	}

	@Test
	void leavesTheStoreToPostgresByDefaultWhenADataSourceExists() {
		this.contextRunner
			.withPropertyValues("spring.application.name=orders",
					"spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers())
			.withBean(DataSource.class, () -> new SimpleDriverDataSource())
			.run((context) -> {
				assertThat(context).doesNotHaveBean(KafkaEventStore.class);
				assertThat(context).doesNotHaveBean(KafkaTopicInitializer.class);
			});
	}

	@Test
	void doesNothingWhenThePostgresStoreIsChosen() {
		this.contextRunner
			.withPropertyValues("spring.application.name=orders", "eventy.store.type=postgres",
					"spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers())
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaEventStore.class));
	}

	@Test
	void topicsFollowTheServiceNameByDefault() {
		String service = KafkaTestBroker.uniqueName("orders");
		onKafka(service).run((context) -> assertThat(context.getBean(KafkaTopics.class))
			.isEqualTo(new KafkaTopics(service + "-events", service + "-requests", service + "-responses")));
	}

	@Test
	void topicsAndTransactionsAreNamedAfterTheEventyServiceEvenWithTheApplicationsOwnRecordFactory() {
		String service = KafkaTestBroker.uniqueName("orders");
		onKafka(service)
			.withBean(RecordFactory.class,
					() -> new RecordFactory(new RecordTypeRegistry("urn:custom"),
							new JacksonPayloadConverter(new ObjectMapper()), PayloadValidator.none(), "urn:custom"))
			.run((context) -> {
				assertThat(context.getBean(EventyService.class)).isEqualTo(EventyService.named(service));
				assertThat(context.getBean(KafkaTopics.class)).isEqualTo(KafkaTopics.forService(service));
				StoredRecord stored = context.getBean(EventStore.class).publish(new ScannedOrderPlaced("3", 300));
				assertThat(stored.record().source()).isEqualTo("urn:custom");
				assertThat(read(service + "-events")).hasSize(1);
			});
	}

	@Test
	void anEventyServiceBeanOfTheApplicationNamesTopicsAndRecords() {
		String service = KafkaTestBroker.uniqueName("billing");
		onKafka("ignored-name").withBean(EventyService.class, () -> new EventyService(service, "urn:shop"))
			.run((context) -> {
				assertThat(context.getBean(KafkaTopics.class)).isEqualTo(KafkaTopics.forService(service));
				StoredRecord stored = context.getBean(EventStore.class).publish(new ScannedOrderPlaced("4", 400));
				assertThat(stored.record().source()).isEqualTo("urn:" + service);
				assertThat(read(service + "-events")).hasSize(1);
			});
	}

	@Test
	void topicsComeFromEventyKafkaProperties() {
		String prefix = KafkaTestBroker.uniqueName("custom");
		onKafka("orders")
			.withPropertyValues("eventy.kafka.events-topic=" + prefix + ".events",
					"eventy.kafka.requests-topic=" + prefix + ".requests",
					"eventy.kafka.responses-topic=" + prefix + ".responses")
			.run((context) -> assertThat(context.getBean(KafkaEventStore.class).topics())
				.isEqualTo(new KafkaTopics(prefix + ".events", prefix + ".requests", prefix + ".responses")));
	}

	@Test
	void routesRequestsToTheTopicsOfTheDeclaredServicesNamedAfterThemUnlessConfigured() {
		onKafka(KafkaTestBroker.uniqueName("orders"))
			.withPropertyValues("eventy.services.payment.namespace=urn:payment",
					"eventy.services.payment.requests-topic=payments.in", "eventy.services.stock.namespace=urn:stock")
			.run((context) -> {
				KafkaRouting routing = context.getBean(KafkaRouting.class);
				assertThat(context.getBean(KafkaEventStore.class).routing()).isSameAs(routing);
				ServiceRegistry services = routing.services();
				assertThat(routing.topicsOf(services.ownerOf("urn:payment").orElseThrow()))
					.isEqualTo(new KafkaTopics("payment-events", "payments.in", "payment-responses"));
				assertThat(routing.topicsOf(services.ownerOf("urn:stock").orElseThrow()))
					.isEqualTo(KafkaTopics.forService("stock"));
			});
	}

	@Test
	void createsMissingTopicsWithTheConfiguredPartitionsAtStartup() {
		String service = KafkaTestBroker.uniqueName("orders");
		onKafka(service).withPropertyValues("eventy.kafka.partitions=2", "eventy.kafka.replication-factor=1")
			.run((context) -> {
				assertThat(context).hasSingleBean(KafkaTopicInitializer.class);
				Map<String, TopicDescription> topics = describe(service + "-events", service + "-events.DLT",
						service + "-requests", service + "-responses");
				assertThat(topics.values()).allSatisfy((topic) -> assertThat(topic.partitions()).hasSize(2));
			});
	}

	@Test
	void createsDeadLetterTopicsWithTheRetentionOfDeadLetters() {
		String service = KafkaTestBroker.uniqueName("orders");
		onKafka(service).withPropertyValues("eventy.retention.dead-letters=30d").run((context) -> {
			ConfigResource deadLetters = new ConfigResource(ConfigResource.Type.TOPIC, service + "-events.DLT");
			try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaTestBroker.bootstrapServers()))) {
				// a topic just created is described once the broker's metadata has it
				await().atMost(Duration.ofSeconds(30))
					.ignoreExceptions()
					.untilAsserted(() -> assertThat(admin.describeConfigs(List.of(deadLetters))
						.all()
						.get(30, TimeUnit.SECONDS)
						.get(deadLetters)
						.get(TopicConfig.RETENTION_MS_CONFIG)
						.value()).isEqualTo(Long.toString(Duration.ofDays(30).toMillis())));
			}
		});
	}

	@Test
	void createsNoTopicWhenCreateTopicsIsFalse() {
		String service = KafkaTestBroker.uniqueName("orders");
		onKafka(service).withPropertyValues("eventy.kafka.create-topics=false").run((context) -> {
			assertThat(context).hasSingleBean(KafkaEventStore.class).doesNotHaveBean(KafkaTopicInitializer.class);
			try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaTestBroker.bootstrapServers()))) {
				assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(service + "-events");
			}
		});
	}

	@Test
	void backsOffWhenTheApplicationDefinesAnEventStore() {
		EventStore own = new OwnStore();
		onKafka("orders").withBean(EventStore.class, () -> own).run((context) -> {
			assertThat(context).hasSingleBean(EventStore.class).doesNotHaveBean(KafkaEventStore.class);
			assertThat(context.getBean(EventStore.class)).isSameAs(own);
		});
	}

	@Test
	void connectionDetailsOfAServiceConnectionWinOverTheBootstrapServersProperty() {
		String service = KafkaTestBroker.uniqueName("orders");
		KafkaConnectionDetails details = () -> List.of(KafkaTestBroker.bootstrapServers());
		this.contextRunner
			.withPropertyValues("spring.application.name=" + service, "eventy.store.type=kafka",
					"spring.kafka.bootstrap-servers=localhost:1")
			.withBean(KafkaConnectionDetails.class, () -> details)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(EventStore.class).publish(new ScannedOrderPlaced("2", 200));
				assertThat(read(service + "-events")).hasSize(1);
			});
	}

	@Test
	void startsItsTransactionalIdsWithThePrefixOfSpringKafkaWithoutSharingThem() {
		String prefix = KafkaTestBroker.uniqueName("my-tx") + "-";
		onKafka(KafkaTestBroker.uniqueName("orders"))
			.withPropertyValues("spring.kafka.producer.transaction-id-prefix=" + prefix)
			.run((context) -> {
				context.getBean(EventStore.class)
					.append(StreamId.of("order", "1"), ExpectedVersion.any(), new ScannedOrderPlaced("1", 1),
							new ScannedOrderPlaced("1", 2));
				try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaTestBroker.bootstrapServers()))) {
					assertThat(admin.listTransactions().all().get(30, TimeUnit.SECONDS))
						.anySatisfy((transaction) -> assertThat(transaction.transactionalId())
							// the application's own producers hand out prefix0, prefix1,
							// ...:
							// the same ids would fence each other
							.startsWith(prefix + "eventy-"));
				}
			});
	}

	@Test
	void usesItsOwnTransactionIdPrefixAndFencesWhatAPreviousRunWithItLeftOpen() throws Exception {
		String service = KafkaTestBroker.uniqueName("orders");
		String prefix = service + "-0-";
		KafkaTestBroker.createTopics(1, service + "-events");
		abandonTransaction(prefix + "1", service + "-events");
		onKafka(service).withPropertyValues("eventy.kafka.transaction-id-prefix=" + prefix).run((context) -> {
			assertThat(context).hasNotFailed();
			try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaTestBroker.bootstrapServers()))) {
				assertThat(admin.describeTransactions(List.of(prefix + "1"))
					.description(prefix + "1")
					.get(30, TimeUnit.SECONDS)
					.state()).isNotEqualTo(TransactionState.ONGOING);
				context.getBean(EventStore.class)
					.append(StreamId.of("order", "1"), ExpectedVersion.any(), new ScannedOrderPlaced("1", 1),
							new ScannedOrderPlaced("1", 2));
				assertThat(admin.listTransactions().all().get(30, TimeUnit.SECONDS))
					.anySatisfy((transaction) -> assertThat(transaction.transactionalId()).isEqualTo(prefix + "0"));
			}
			// the abandoned transaction would hide them for a minute
			assertThat(read(service + "-events")).isNotEmpty();
		});
	}

	@Test
	void failsWhenItsTransactionIdPrefixIsTheApplicationsOwn() {
		onKafka(KafkaTestBroker.uniqueName("orders"))
			.withPropertyValues("eventy.kafka.transaction-id-prefix=orders-0-",
					"spring.kafka.producer.transaction-id-prefix=orders-0-")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().isInstanceOf(EventyConfigurationException.class);
				assertThat(StartupFailures.messages(context.getStartupFailure()))
					.contains("'eventy.kafka.transaction-id-prefix' is 'orders-0-'")
					.contains("fence each other");
			});
	}

	private static void abandonTransaction(String transactionalId, String topic) throws Exception {
		Map<String, Object> properties = new HashMap<>(KafkaTestBroker.producerProperties());
		properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
		KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties);
		producer.initTransactions();
		producer.beginTransaction();
		producer.send(new ProducerRecord<>(topic, "abandoned", new byte[] { 1 })).get(30, TimeUnit.SECONDS);
		// a crash: no commit, no abort
		producer.close(Duration.ZERO);
	}

	@Test
	void failsPromptlyWithWhatToDoWhenNoBrokerAnswers() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		long started = System.nanoTime();
		this.contextRunner
			.withPropertyValues("spring.application.name=orders", "eventy.store.type=kafka",
					"spring.kafka.bootstrap-servers=localhost:" + closedPort, "spring.kafka.admin.operation-timeout=2s")
			.run((context) -> {
				assertThat(context).hasFailed();
				KafkaTopicsUnavailableException failure = findCause(context.getStartupFailure(),
						KafkaTopicsUnavailableException.class);
				assertThat(failure).hasMessageContaining("localhost:" + closedPort).hasMessageContaining("PT2S");
				FailureAnalysis analysis = new KafkaTopicsFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getAction()).contains("spring.kafka.bootstrap-servers")
					.contains("spring.kafka.admin.operation-timeout")
					.contains("eventy.kafka.create-topics=false");
			});
		// the admin client's pending calls are not waited for once the check failed
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
	}

	private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		throw new AssertionError("no " + type.getSimpleName() + " in " + failure);
	}

	@Test
	void failsWithAClearMessageWhenTheServiceNameMakesNoTopicName() {
		this.contextRunner
			.withPropertyValues("spring.application.name=order service", "eventy.store.type=kafka",
					"spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers())
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().isInstanceOf(EventyConfigurationException.class);
				assertThat(StartupFailures.messages(context.getStartupFailure())).contains("eventy.kafka.events-topic");
			});
	}

	@Test
	void refusesATopicNameWithNoRoomForItsDeadLetterTopic() {
		onKafka("orders").withPropertyValues("eventy.kafka.events-topic=" + "e".repeat(246)).run((context) -> {
			assertThat(context).hasFailed();
			// Boot's failure analyzer prints it as 'eventy.kafka.events-topic'
			assertThat(StartupFailures.messages(context.getStartupFailure())).contains("'eventy.kafka'")
				.contains("events-topic")
				.contains("1 to 245 characters");
		});
		onKafka("orders").withPropertyValues("eventy.kafka.events-topic=" + "e".repeat(245))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void failsWithAClearMessageWithoutSpringKafka() {
		onKafka("orders").withClassLoader(new FilteredClassLoader("org.springframework.kafka")).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(StartupFailures.messages(context.getStartupFailure())).contains("'eventy.store.type' is 'kafka'")
				.contains("eventy-spring-boot-starter-kafka");
		});
	}

	@Test
	void failsWithAClearMessageWithSpringKafkaButWithoutSpringBootsKafkaSupport() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ValidationAutoConfiguration.class,
					EventyAutoConfiguration.class, EventyKafkaAutoConfiguration.class))
			.withPropertyValues("spring.application.name=orders", "eventy.store.type=kafka")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.kafka"))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(StartupFailures.messages(context.getStartupFailure()))
					.contains("'eventy.store.type' is 'kafka'")
					.contains("spring-boot-kafka")
					.contains("eventy-spring-boot-starter-kafka");
			});
	}

	@Test
	void kafkaStoreRefusesWhatKafkaCannotAnswerNamingThePostgresStore() {
		onKafka(KafkaTestBroker.uniqueName("orders"))
			.run((context) -> assertThatExceptionOfType(UnsupportedStoreOperationException.class)
				.isThrownBy(() -> context.getBean(EventStore.class).readAll(0, 10))
				.withMessageContaining("eventy.store.type=postgres"));
	}

	private static List<ConsumerRecord<String, byte[]>> read(String topic) {
		List<ConsumerRecord<String, byte[]>> records = new java.util.ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = KafkaTestBroker.newConsumer()) {
			consumer.subscribe(List.of(topic));
			await().atMost(KafkaTestBroker.timeout()).until(() -> {
				consumer.poll(Duration.ofMillis(100)).forEach(records::add);
				return !records.isEmpty();
			});
		}
		return records;
	}

	private static Map<String, TopicDescription> describe(String... topics) {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaTestBroker.bootstrapServers()))) {
			return await().atMost(KafkaTestBroker.timeout())
				.ignoreExceptions()
				.until(() -> admin.describeTopics(Set.of(topics)).allTopicNames().get(30, TimeUnit.SECONDS),
						(found) -> found.size() == topics.length);
		}
	}

	static class OwnStore implements EventStore {

		@Override
		public io.eventy.store.AppendResult append(StreamId stream, ExpectedVersion expected, List<?> payloads) {
			throw new UnsupportedOperationException();
		}

		@Override
		public List<StoredRecord> readStream(StreamId stream, long fromVersion) {
			throw new UnsupportedOperationException();
		}

		@Override
		public List<StoredRecord> readCategory(String streamType, long fromPosition, int limit) {
			throw new UnsupportedOperationException();
		}

		@Override
		public List<StoredRecord> readAll(long fromPosition, int limit) {
			throw new UnsupportedOperationException();
		}

		@Override
		public StoredRecord publish(Object payload) {
			throw new UnsupportedOperationException();
		}

		@Override
		public StoredRecord publish(String qualifiedName, Map<String, ?> data) {
			throw new UnsupportedOperationException();
		}

	}

}
