package io.eventy.store.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.kafka.KafkaTestRecords.OrderPlaced;
import io.eventy.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.core.DefaultKafkaProducerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Transactional ids of the Kafka store: the id of a producer closed after a failure is
 * fenced at once and reused within the process, and ids are fenced at startup when a
 * previous run with the same prefix left transactions open. Either way records after the
 * abandoned transaction become visible to {@code read_committed} readers at once, not
 * after the broker's transaction timeout (60 s here).
 */
class KafkaTransactionalIdsTests {

	/** Well under the transaction timeout of the abandoned transactions. */
	private static final Duration AT_ONCE = Duration.ofSeconds(15);

	@Test
	void theTransactionAProducerWhoseCommitTimedOutLeftOpenIsFencedAtOnce() throws Exception {
		String service = KafkaTestBroker.uniqueName("svc");
		KafkaTopics topics = topics(service, 1);
		Map<String, Object> properties = new HashMap<>(KafkaTestBroker.producerProperties());
		// a commit gives up after 2 s; an abandoned transaction lives 60 s
		properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
		properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
		DefaultKafkaProducerFactory<String, byte[]> factory = KafkaEventStore.producerFactory(properties,
				service + "-tx-");
		try (KafkaEventStore store = new KafkaEventStore(factory, topics, recordFactory(service),
				KafkaStoreFixture.serializer())) {
			Producer<String, byte[]> failing = factory.createProducer();
			failing.beginTransaction();
			failing.send(new ProducerRecord<>(topics.events(), "abandoned", bytes("abandoned")))
				.get(30, TimeUnit.SECONDS);
			KafkaTestBroker.stop();
			try {
				assertThatExceptionOfType(TimeoutException.class).isThrownBy(failing::commitTransaction);
				// as KafkaTemplate does: the factory drops the failed producer
				failing.close(Duration.ofSeconds(5));
			}
			finally {
				KafkaTestBroker.start();
			}

			List<StoredRecord> appended = store
				.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("1", 1),
						new OrderPlaced("1", 2))
				.records();

			List<UUID> visible = readCommitted(topics.events(), store, 2, AT_ONCE);
			assertThat(visible).containsExactly(appended.get(0).record().uuid(), appended.get(1).record().uuid());
		}
	}

	@Test
	void theTransactionAProducerWhoseCommitTimedOutLeftOpenIsFencedAtOnceWhileAnIdleProducerGoesOn() throws Exception {
		String service = KafkaTestBroker.uniqueName("svc");
		KafkaTopics topics = topics(service, 1);
		Map<String, Object> properties = new HashMap<>(KafkaTestBroker.producerProperties());
		properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
		properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
		DefaultKafkaProducerFactory<String, byte[]> factory = KafkaEventStore.producerFactory(properties,
				service + "-tx-");
		try (KafkaEventStore store = new KafkaEventStore(factory, topics, recordFactory(service),
				KafkaStoreFixture.serializer())) {
			// two appends at once left two producers; the second one's commit times out
			Producer<String, byte[]> idle = factory.createProducer();
			Producer<String, byte[]> failing = factory.createProducer();
			idle.close();
			failing.beginTransaction();
			failing.send(new ProducerRecord<>(topics.events(), "abandoned", bytes("abandoned")))
				.get(30, TimeUnit.SECONDS);
			KafkaTestBroker.stop();
			try {
				assertThatExceptionOfType(TimeoutException.class).isThrownBy(failing::commitTransaction);
				failing.close(Duration.ofSeconds(5));
			}
			finally {
				KafkaTestBroker.start();
			}

			// the idle producer appends: no new producer takes over the failed one's id
			List<StoredRecord> appended = store
				.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("1", 1),
						new OrderPlaced("1", 2))
				.records();

			List<UUID> visible = readCommitted(topics.events(), store, 2, AT_ONCE);
			assertThat(visible).containsExactly(appended.get(0).record().uuid(), appended.get(1).record().uuid());
		}
	}

	@Test
	void aRestartedInstanceFencesTheTransactionsItsPredecessorLeftOpenAndNoOneElses() throws Exception {
		String service = KafkaTestBroker.uniqueName("svc");
		KafkaTopics topics = topics(service, 1);
		String prefix = service + "-0-";
		String otherInstance = service + "-1-";
		try (Admin admin = Admin.create(KafkaTestBroker.adminProperties())) {
			// the predecessor had four producers open and crashed in a transaction of
			// its fourth; another instance has a transaction open on another topic
			abandonTransaction(prefix + "3", topics.events());
			abandonTransaction(otherInstance + "0", topics.requests());
			abandonTransaction(prefix + "eventy-0", topics.responses());
			try (KafkaProducer<String, byte[]> plain = new KafkaProducer<>(KafkaTestBroker.producerProperties())) {
				plain.send(new ProducerRecord<>(topics.events(), "after", bytes("after"))).get(30, TimeUnit.SECONDS);
			}

			try (KafkaEventStore store = new KafkaEventStore(
					KafkaEventStore.producerFactory(KafkaTestBroker.producerProperties(), prefix), topics,
					recordFactory(service), KafkaStoreFixture.serializer())) {
				assertThat(store.fenceAbandonedTransactions(KafkaTestBroker.timeout())).containsExactly(prefix + "3");
			}

			assertThat(readCommittedValues(topics.events(), 1, AT_ONCE)).containsExactly("after");
			assertThat(state(admin, otherInstance + "0")).isEqualTo(TransactionState.ONGOING);
			assertThat(state(admin, prefix + "eventy-0")).isEqualTo(TransactionState.ONGOING);
			admin.fenceProducers(List.of(otherInstance + "0", prefix + "eventy-0")).all().get(30, TimeUnit.SECONDS);
		}
	}

	@Test
	void fencingWithNothingOpenFencesNothing() {
		String service = KafkaTestBroker.uniqueName("svc");
		try (KafkaEventStore store = new KafkaEventStore(
				KafkaEventStore.producerFactory(KafkaTestBroker.producerProperties(), service + "-0-"),
				topics(service, 1), recordFactory(service), KafkaStoreFixture.serializer())) {
			assertThat(store.fenceAbandonedTransactions(KafkaTestBroker.timeout())).isEmpty();
		}
	}

	@Test
	void producersOpenAtOnceGetTheLowestIdsNoOtherHolds() {
		ReusedTransactionIdSuffixes suffixes = new ReusedTransactionIdSuffixes();
		assertThat(List.of(suffixes.acquireSuffix("a-"), suffixes.acquireSuffix("a-"), suffixes.acquireSuffix("a-"),
				suffixes.acquireSuffix("b-")))
			.containsExactly("0", "1", "2", "0");
		suffixes.releaseSuffix("a-", "2");
		suffixes.releaseSuffix("a-", "0");
		assertThat(suffixes.acquireSuffix("a-")).isEqualTo("0");
		assertThat(suffixes.acquireSuffix("a-")).isEqualTo("2");
		assertThat(suffixes.acquireSuffix("a-")).isEqualTo("3");
	}

	private static void abandonTransaction(String transactionalId, String topic) throws Exception {
		Map<String, Object> properties = new HashMap<>(KafkaTestBroker.producerProperties());
		properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
		properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
		KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties);
		producer.initTransactions();
		producer.beginTransaction();
		producer.send(new ProducerRecord<>(topic, "abandoned", bytes("abandoned"))).get(30, TimeUnit.SECONDS);
		// a crash: no commit, no abort
		producer.close(Duration.ZERO);
	}

	private static TransactionState state(Admin admin, String transactionalId) throws Exception {
		return admin.describeTransactions(List.of(transactionalId))
			.description(transactionalId)
			.get(30, TimeUnit.SECONDS)
			.state();
	}

	private static List<UUID> readCommitted(String topic, KafkaEventStore store, int expected, Duration within) {
		return read(topic, expected, within).stream()
			.map((record) -> store.mapper().toStoredRecord(record).record().uuid())
			.toList();
	}

	private static List<String> readCommittedValues(String topic, int expected, Duration within) {
		return read(topic, expected, within).stream()
			.map((record) -> new String(record.value(), StandardCharsets.UTF_8))
			.toList();
	}

	private static List<ConsumerRecord<String, byte[]>> read(String topic, int expected, Duration within) {
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = KafkaTestBroker.newConsumer()) {
			consumer.subscribe(List.of(topic));
			await().atMost(within).until(() -> {
				consumer.poll(Duration.ofMillis(100)).forEach(records::add);
				return records.size() >= expected;
			});
		}
		return records;
	}

	private static KafkaTopics topics(String service, int partitions) {
		KafkaTopics topics = KafkaTopics.forService(service);
		new KafkaTopicInitializer(KafkaTestBroker.adminProperties(), topics, partitions, null, Duration.ofSeconds(30))
			.initialize();
		return topics;
	}

	private static RecordFactory recordFactory(String service) {
		return new RecordFactory(new RecordTypeRegistry("urn:" + service),
				new JacksonPayloadConverter(KafkaStoreFixture.MAPPER), PayloadValidator.none(), "urn:" + service);
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
