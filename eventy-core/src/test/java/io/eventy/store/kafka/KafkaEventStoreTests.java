package io.eventy.store.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.record.EventyRecord;
import io.eventy.record.InvalidRecordException;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordKind;
import io.eventy.record.UnknownRecordTypeException;
import io.eventy.serializer.JsonRecordSerializer;
import io.eventy.store.AppendResult;
import io.eventy.store.EventStore;
import io.eventy.store.EventStoreContractTests;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoreTestRecords;
import io.eventy.store.StoreTestRecords.Note;
import io.eventy.store.StoreTestRecords.OrderPlaced;
import io.eventy.store.StoreTestRecords.OrderShipped;
import io.eventy.store.StoreTestRecords.PaymentRequested;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.UnsupportedStoreOperationException;
import io.eventy.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@link EventStoreContractTests} on the Kafka store and a real broker. What Kafka
 * cannot answer (expected versions other than {@code any()}, reading a stream, reading in
 * global position order) is asserted to throw {@link UnsupportedStoreOperationException}
 * naming the PostgreSQL store, and to store nothing; what it can do is checked by reading
 * the store's topics back with a plain {@code read_committed} consumer.
 */
class KafkaEventStoreTests extends EventStoreContractTests {

	private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (left, right) -> {
		if (left.isNumber() && right.isNumber()) {
			return left.decimalValue().compareTo(right.decimalValue());
		}
		return left.equals(right) ? 0 : 1;
	};

	private KafkaTopics topics;

	private KafkaEventStore kafka;

	private @Nullable KafkaConsumer<String, byte[]> reader;

	private @Nullable KafkaConsumer<String, byte[]> watermarks;

	@Override
	protected EventStore createStore(RecordFactory recordFactory) {
		String service = KafkaTestBroker.uniqueName("contract");
		this.topics = KafkaTopics.forService(service);
		new KafkaTopicInitializer(KafkaTestBroker.adminProperties(), this.topics, 1, null, Duration.ofSeconds(30))
			.initialize();
		this.kafka = new KafkaEventStore(
				KafkaEventStore.producerFactory(KafkaTestBroker.producerProperties(), service + "-tx-"), this.topics,
				recordFactory, new JsonRecordSerializer(new ObjectMapper()));
		return this.kafka;
	}

	@AfterAll
	void closeStore() {
		this.kafka.close();
		if (this.reader != null) {
			this.reader.close();
		}
		if (this.watermarks != null) {
			this.watermarks.close();
		}
	}

	@Test
	@Override
	protected void appendsRecordsInVersionOrderAndReadsThemBack() {
		StreamId stream = newStream("order");
		assertUnsupported(() -> store().append(stream, ExpectedVersion.noStream(), new OrderPlaced("42", 1200)));
		AppendResult result = store().append(stream, ExpectedVersion.any(), new OrderPlaced("42", 1200),
				new OrderShipped("42"));
		assertThat(result.streamVersion()).isZero();
		assertThat(result.records()).extracting(StoredRecord::streamVersion).containsExactly(0L, 0L);
		List<StoredRecord> read = readBack(stream);
		assertThat(read).isEqualTo(result.records());
		assertThat(read).extracting((stored) -> stored.record().name()).containsExactly("OrderPlaced", "OrderShipped");
		assertThat(read.get(0).position()).isLessThan(read.get(1).position());
		assertThat(read).extracting(StoredRecord::stream).containsOnly(stream);
		assertThat(read.get(0).payload(OrderPlaced.class)).isEqualTo(new OrderPlaced("42", 1200));
		assertThat(read.get(1).payload(OrderShipped.class)).isEqualTo(new OrderShipped("42"));
		EventyRecord written = result.records().get(0).record();
		EventyRecord first = read.get(0).record();
		assertThat(first.kind()).isEqualTo(RecordKind.EVENT);
		assertThat(first.namespace()).isEqualTo(StoreTestRecords.NAMESPACE);
		assertThat(first.version()).isEqualTo("1.2.0");
		assertThat(first.protocolVersion()).isEqualTo(EventyRecord.PROTOCOL_VERSION);
		assertThat(first.source()).isEqualTo(StoreTestRecords.SOURCE);
		assertThat(first.partitionKey()).isEqualTo(stream.partitionKey());
		assertThat(first.uuid()).isEqualTo(written.uuid());
		assertThat(first.date()).isEqualTo(written.date());
		assertThat(first.correlationId()).isEqualTo(written.correlationId());
		assertThat(first.data().equals(NUMBERS_BY_VALUE, written.data())).isTrue();
	}

	@Test
	@Override
	protected void readsAStreamFromAVersionOnInclusive() {
		StreamId stream = newStream("order");
		store().append(stream, ExpectedVersion.any(), new OrderPlaced("1", 1), new OrderPlaced("2", 2));
		assertUnsupported(() -> store().readStream(stream, 2));
	}

	@Test
	@Override
	protected void readsNothingFromAStreamThatDoesNotExist() {
		assertUnsupported(() -> store().readStream(newStream("order")));
	}

	@Test
	@Override
	protected void appendsWithAnyVersionToANewAndToAnExistingStream() {
		StreamId stream = newStream("order");
		assertThat(store().append(stream, ExpectedVersion.any(), new OrderPlaced("1", 1)).streamVersion()).isZero();
		AppendResult second = store().append(stream, ExpectedVersion.any(), new OrderShipped("1"),
				new OrderShipped("2"));
		assertThat(second.records()).extracting(StoredRecord::streamVersion).containsExactly(0L, 0L);
		assertThat(readBack(stream)).extracting((stored) -> stored.record().name())
			.containsExactly("OrderPlaced", "OrderShipped", "OrderShipped");
	}

	@Test
	@Override
	protected void appendsWithNoStreamToANewStream() {
		StreamId stream = newStream("order");
		assertUnsupported(() -> store().append(stream, ExpectedVersion.noStream(), new OrderPlaced("1", 1)));
		assertThat(readBack(stream)).isEmpty();
	}

	@Test
	@Override
	protected void refusesToAppendWithNoStreamToAnExistingStream() {
		StreamId stream = newStream("order");
		store().append(stream, ExpectedVersion.any(), new OrderPlaced("1", 1));
		assertUnsupported(() -> store().append(stream, ExpectedVersion.noStream(), new OrderShipped("1")));
		assertThat(readBack(stream)).hasSize(1);
	}

	@Test
	@Override
	protected void appendsWithTheRightExactVersion() {
		StreamId stream = newStream("order");
		store().append(stream, ExpectedVersion.any(), new OrderPlaced("1", 1), new OrderShipped("1"));
		assertUnsupported(() -> store().append(stream, ExpectedVersion.exactly(2), new OrderShipped("1")));
		assertThat(readBack(stream)).hasSize(2);
	}

	@Test
	@Override
	protected void refusesToAppendWithAWrongExactVersionAndStoresNothing() {
		StreamId stream = newStream("order");
		store().append(stream, ExpectedVersion.any(), new OrderPlaced("1", 1), new OrderShipped("1"));
		for (long wrong : new long[] { 1, 3 }) {
			assertUnsupported(() -> store().append(stream, ExpectedVersion.exactly(wrong), new OrderShipped("1")));
		}
		assertThat(readBack(stream)).hasSize(2);
	}

	@Test
	@Override
	protected void refusesToAppendWithAnExactVersionToAStreamThatDoesNotExist() {
		StreamId stream = newStream("order");
		assertUnsupported(() -> store().append(stream, ExpectedVersion.exactly(1), new OrderPlaced("1", 1)));
		assertThat(readBack(stream)).isEmpty();
	}

	@Test
	@Override
	protected void storesNothingOfAConflictingAppend() {
		StreamId stream = newStream(newStreamType());
		AppendResult first = store().append(stream, ExpectedVersion.any(), new OrderPlaced("1", 1));
		assertUnsupported(() -> store().append(stream, ExpectedVersion.exactly(5), new OrderShipped("1"),
				new OrderShipped("2"), new OrderShipped("3")));
		assertThat(readBack(stream)).isEqualTo(first.records());
	}

	/**
	 * Kafka has no expected versions to retry on: concurrent writers append with
	 * {@code any()}, and every record is stored once, each writer's in its order.
	 */
	@Test
	@Override
	protected void concurrentWritersRetryingOnConflictsEndWithContiguousVersionsAndNoLostRecord() throws Exception {
		StreamId stream = newStream("order");
		assertUnsupported(() -> store().append(stream, ExpectedVersion.exactly(0), new OrderPlaced("0", 0)));
		int writers = 8;
		int appendsPerWriter = 25;
		ExecutorService pool = Executors.newFixedThreadPool(writers);
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int writer = 0; writer < writers; writer++) {
				int writerId = writer;
				futures.add(pool.submit(() -> {
					start.await();
					for (int i = 0; i < appendsPerWriter; i++) {
						store().append(stream, ExpectedVersion.any(), new OrderPlaced(writerId + "-" + i, i));
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(2, TimeUnit.MINUTES);
			}
		}
		finally {
			pool.shutdownNow();
		}
		List<OrderPlaced> read = readBack(stream).stream().map((stored) -> stored.payload(OrderPlaced.class)).toList();
		assertThat(read).hasSize(writers * appendsPerWriter).doesNotHaveDuplicates();
		Map<String, List<Long>> byWriter = read.stream()
			.collect(Collectors.groupingBy((order) -> order.orderId().split("-")[0],
					Collectors.mapping(OrderPlaced::amountCents, Collectors.toList())));
		assertThat(byWriter).hasSize(writers)
			.allSatisfy((writer, amounts) -> assertThat(amounts).isSorted().hasSize(appendsPerWriter));
	}

	/**
	 * Kafka keeps no stream versions: concurrent {@code any()} appends all succeed, no
	 * record is lost or doubled, and each writer's records keep their order.
	 */
	@Test
	@Override
	protected void concurrentWritersAppendingWithAnyVersionAllSucceedWithContiguousVersions() throws Exception {
		StreamId stream = newStream("order");
		assertUnsupported(() -> store().readStream(stream));
		int writers = 8;
		int appendsPerWriter = 10;
		ExecutorService pool = Executors.newFixedThreadPool(writers);
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int writer = 0; writer < writers; writer++) {
				int writerId = writer;
				futures.add(pool.submit(() -> {
					start.await();
					for (int i = 0; i < appendsPerWriter; i++) {
						store().append(stream, ExpectedVersion.any(), new OrderPlaced(writerId + "-" + i, i),
								new OrderShipped(writerId + "-" + i));
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(2, TimeUnit.MINUTES);
			}
		}
		finally {
			pool.shutdownNow();
		}
		List<StoredRecord> records = readBack(stream);
		List<StoredRecord> placed = records.stream()
			.filter((stored) -> stored.record().name().equals("OrderPlaced"))
			.toList();
		List<StoredRecord> shipped = records.stream()
			.filter((stored) -> stored.record().name().equals("OrderShipped"))
			.toList();
		assertThat(placed).hasSize(writers * appendsPerWriter);
		assertThat(shipped).hasSize(writers * appendsPerWriter);
		assertThat(placed.stream().map((stored) -> stored.payload(OrderPlaced.class).orderId()).toList())
			.doesNotHaveDuplicates()
			.containsExactlyInAnyOrderElementsOf(
					shipped.stream().map((stored) -> stored.payload(OrderShipped.class).orderId()).toList());
		Map<String, List<Long>> byWriter = placed.stream()
			.map((stored) -> stored.payload(OrderPlaced.class))
			.collect(Collectors.groupingBy((order) -> order.orderId().split("-")[0],
					Collectors.mapping(OrderPlaced::amountCents, Collectors.toList())));
		assertThat(byWriter).hasSize(writers)
			.allSatisfy((writer, amounts) -> assertThat(amounts).isSorted().hasSize(appendsPerWriter));
	}

	@Test
	@Override
	protected void rejectsAnInvalidPayloadBeforeAnythingIsStored() {
		StreamId stream = newStream("order");
		assertThatExceptionOfType(InvalidRecordException.class).isThrownBy(
				() -> store().append(stream, ExpectedVersion.any(), new OrderPlaced("1", 1), new OrderPlaced(" ", -1)))
			.satisfies((ex) -> assertThat(ex.violations()).containsExactlyInAnyOrder(
					"amountCents: must be greater than or equal to 0", "orderId: must not be blank"));
		StoredRecord marker = store().publish(new OrderShipped("marker"));
		assertThatExceptionOfType(InvalidRecordException.class).isThrownBy(() -> store().publish(new OrderShipped("")))
			.withMessageContaining("orderId");
		assertThat(readBack(stream)).isEmpty();
		assertThat(readBack((stored) -> stored.position() > marker.position())).isEmpty();
	}

	@Test
	@Override
	protected void rejectsPublishingAnUnknownName() {
		StoredRecord marker = store().publish(new OrderShipped("marker"));
		assertThatExceptionOfType(UnknownRecordTypeException.class)
			.isThrownBy(() -> store().publish("urn:shop:NoSuchThing", Map.of("orderId", "1")))
			.withMessageContaining("urn:shop:NoSuchThing");
		assertThat(readBack((stored) -> stored.position() > marker.position())).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("io.eventy.store.EventStoreContractTests#hostileStrings")
	@Override
	protected void storesHostileStreamIdsUnchanged(String hostile) {
		String id = hostile + UUID.randomUUID();
		StreamId stream = StreamId.of(hostile, id.substring(0, Math.min(id.length(), StreamId.MAX_LENGTH)));
		AppendResult appended = store().append(stream, ExpectedVersion.any(), new Note("hostile id"));
		List<StoredRecord> read = readBack(stream);
		assertThat(read).isEqualTo(appended.records());
		assertThat(read.get(0).stream()).isEqualTo(stream);
		assertThat(read.get(0).record().partitionKey()).isEqualTo(stream.partitionKey());
		assertUnsupported(() -> store().readCategory(hostile, 0, 10));
	}

	@ParameterizedTest
	@MethodSource("io.eventy.store.EventStoreContractTests#hostileStrings")
	@Override
	protected void storesHostilePayloadStringsUnchanged(String hostile) {
		StreamId stream = newStream("note");
		store().append(stream, ExpectedVersion.any(), new Note(hostile));
		StoredRecord read = readBack(stream).get(0);
		assertThat(read.payload(Note.class).text()).isEqualTo(hostile);
		assertThat(read.record().data().get("text").asText()).isEqualTo(hostile);
		StoredRecord published = store().publish("urn:shop:Note", Map.of("text", hostile));
		assertThat(readBack(uuid(published)).get(0).payload(Note.class).text()).isEqualTo(hostile);
	}

	@Test
	@Override
	protected void readsACategoryInPositionOrderFromAPositionWithALimit() {
		String type = newStreamType();
		store().append(newStream(type), ExpectedVersion.any(), new OrderPlaced("a1", 1));
		assertUnsupported(() -> store().readCategory(type, 0, 100));
	}

	@Test
	@Override
	protected void readsEverythingInPositionOrderFromAPositionWithALimit() {
		StoredRecord published = store().publish(new OrderShipped("published"));
		assertUnsupported(() -> store().readAll(published.position(), 100));
	}

	@Test
	@Override
	protected void publishesARecordOfNoStream() {
		StoredRecord published = store().publish(new OrderShipped("7"));
		assertThat(published.stream()).isNull();
		assertThat(published.streamVersion()).isZero();
		assertThat(published.record().partitionKey()).isNull();
		StoredRecord read = readBack(uuid(published)).get(0);
		assertThat(read).isEqualTo(published);
		assertThat(read.stream()).isNull();
		assertThat(read.streamVersion()).isZero();
		assertThat(read.payload(OrderShipped.class)).isEqualTo(new OrderShipped("7"));
	}

	@Test
	@Override
	protected void publishesARecordByName() {
		StoredRecord published = store().publish("urn:shop:OrderPlaced", Map.of("orderId", "9", "amountCents", 500));
		assertThat(published.record().qualifiedName()).isEqualTo("urn:shop:OrderPlaced");
		assertThat(published.record().version()).isEqualTo("1.2.0");
		StoredRecord read = readBack(uuid(published)).get(0);
		assertThat(read.payload(OrderPlaced.class)).isEqualTo(new OrderPlaced("9", 500));
		assertThat(read.stream()).isNull();
	}

	@Test
	@Override
	protected void storesTheKindOfTheRecordType() {
		StreamId stream = newStream("payment");
		StoredRecord appended = store().append(stream, ExpectedVersion.any(), new PaymentRequested("1"))
			.records()
			.get(0);
		assertThat(readBack(stream).get(0).record().kind()).isEqualTo(RecordKind.REQUEST);
		assertThat(read(this.topics.requests()))
			.anySatisfy((record) -> assertThat(record.record().uuid()).isEqualTo(appended.record().uuid()));
	}

	@Test
	@Override
	protected void recordsCarryTheIdsOfTheCurrentContext() {
		StreamId stream = newStream("order");
		EventyContext context = new EventyContext("4bf92f3577b34da6a3ce929d0e0e4736", "request-1",
				UUID.randomUUID().toString(), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
				Map.of("tenant", Map.of("id", "acme"), "attempt", Map.of("n", 2)));
		try (EventyContextHolder.Scope scope = EventyContextHolder.open(context)) {
			store().append(stream, ExpectedVersion.any(), new OrderPlaced("1", 1));
		}
		store().append(stream, ExpectedVersion.any(), new OrderShipped("1"));
		List<StoredRecord> read = readBack(stream);
		StoredRecord inScope = read.get(0);
		assertThat(inScope.record().correlationId()).isEqualTo(context.traceId());
		assertThat(inScope.requestId()).isEqualTo("request-1");
		assertThat(inScope.causationId()).isEqualTo(context.causationId());
		assertThat(inScope.traceparent()).isEqualTo(context.traceparent());
		assertThat(inScope.record().context()).isEqualTo(context.context());
		StoredRecord outside = read.get(1);
		assertThat(outside.requestId()).isNull();
		assertThat(outside.causationId()).isNull();
		assertThat(outside.traceparent()).isNull();
		assertThat(outside.record().correlationId()).isNotBlank().isNotEqualTo(context.traceId());
		assertThat(outside.record().context()).isEmpty();
	}

	@Test
	@Override
	protected void storesAPrebuiltRecordAsItIs() {
		StreamId stream = newStream("legacy");
		ObjectNode data = JsonNodeFactory.instance.objectNode().put("legacyId", 7).put("label", "imported");
		EventyRecord event = EventyRecord.builder(RecordKind.EVENT)
			.namespace("urn:legacy")
			.name("Imported")
			.version("2.0.0")
			.source("urn:legacy-service")
			.correlationId("legacy-trace")
			.data(data)
			.build();
		store().append(stream, ExpectedVersion.any(), event);
		EventyRecord read = readBack(stream).get(0).record();
		assertThat(read).isEqualTo(event.toBuilder().partitionKey(stream.partitionKey()).build());
	}

	@Test
	@Override
	protected void storesTheFieldsOfAResponse() {
		StreamId stream = newStream("payment");
		UUID requestUuid = UUID.randomUUID();
		EventyRecord response = EventyRecord.builder(RecordKind.RESPONSE)
			.namespace("urn:shop")
			.name("PaymentRefused")
			.source("urn:payment-service")
			.destination("urn:order-service")
			.requestUuid(requestUuid)
			.ok(false)
			.errorCode(409)
			.errorMessage("card 'declined'; try again")
			.build();
		store().append(stream, ExpectedVersion.any(), response);
		List<StoredRecord> onResponses = read(this.topics.responses()).stream()
			.filter((stored) -> stream.equals(stored.stream()))
			.toList();
		assertThat(onResponses).singleElement().satisfies((stored) -> {
			EventyRecord read = stored.record();
			assertThat(read.kind()).isEqualTo(RecordKind.RESPONSE);
			assertThat(read.destination()).isEqualTo("urn:order-service");
			assertThat(read.requestUuid()).isEqualTo(requestUuid);
			assertThat(read.ok()).isFalse();
			assertThat(read.errorCode()).isEqualTo(409);
			assertThat(read.errorMessage()).isEqualTo("card 'declined'; try again");
			assertThat(read).isEqualTo(response.toBuilder().partitionKey(stream.partitionKey()).build());
		});
	}

	@Test
	@Override
	protected void saysItKeepsStreamsByVersion() {
		assertThat(store().supportsStreamVersions()).isFalse();
		assertUnsupported(() -> store().readStream(newStream("order")));
	}

	private static void assertUnsupported(ThrowingCallable call) {
		assertThatExceptionOfType(UnsupportedStoreOperationException.class).isThrownBy(call)
			.withMessageContaining("eventy.store.type=postgres");
	}

	private static Predicate<StoredRecord> uuid(StoredRecord record) {
		return (stored) -> stored.record().uuid().equals(record.record().uuid());
	}

	private List<StoredRecord> readBack(StreamId stream) {
		return readBack((stored) -> stream.equals(stored.stream()));
	}

	/**
	 * Every committed record of the store's topics that matches, events first, each topic
	 * in offset order.
	 */
	private List<StoredRecord> readBack(Predicate<StoredRecord> filter) {
		List<StoredRecord> records = new ArrayList<>();
		for (String topic : this.topics.all()) {
			read(topic).stream().filter(filter).forEach(records::add);
		}
		return records;
	}

	/**
	 * Every committed record of a topic, in offset order, read from the beginning by a
	 * plain {@code read_committed} consumer up to the records written so far.
	 */
	private List<StoredRecord> read(String topic) {
		KafkaConsumer<String, byte[]> consumer = reader();
		List<TopicPartition> partitions = consumer.assignment()
			.stream()
			.filter((partition) -> partition.topic().equals(topic))
			.toList();
		consumer.pause(consumer.assignment());
		consumer.resume(partitions);
		consumer.seekToBeginning(partitions);
		// the high watermarks: a read_committed consumer passes them once every
		// transaction before them is decided (its commit marker lags the commit a little)
		Map<TopicPartition, Long> ends = watermarks().endOffsets(partitions);
		Set<TopicPartition> pending = new HashSet<>(partitions);
		List<StoredRecord> records = new ArrayList<>();
		long deadline = System.nanoTime() + KafkaTestBroker.timeout().toNanos();
		pending.removeIf((partition) -> consumer.position(partition) >= ends.get(partition));
		while (!pending.isEmpty() && System.nanoTime() < deadline) {
			for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
				records.add(this.kafka.mapper().toStoredRecord(record));
			}
			pending.removeIf((partition) -> consumer.position(partition) >= ends.get(partition));
		}
		assertThat(pending).as("partitions read to their end").isEmpty();
		return records;
	}

	private KafkaConsumer<String, byte[]> watermarks() {
		if (this.watermarks == null) {
			Map<String, Object> properties = new HashMap<>(KafkaTestBroker.consumerProperties());
			properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
			this.watermarks = new KafkaConsumer<>(properties);
		}
		return this.watermarks;
	}

	private KafkaConsumer<String, byte[]> reader() {
		if (this.reader == null) {
			Map<String, Object> properties = new HashMap<>(KafkaTestBroker.consumerProperties());
			properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
			this.reader = new KafkaConsumer<>(properties);
			List<TopicPartition> partitions = new ArrayList<>();
			for (String topic : this.topics.all()) {
				this.reader.partitionsFor(topic)
					.forEach((info) -> partitions.add(new TopicPartition(topic, info.partition())));
			}
			this.reader.assign(partitions);
		}
		return this.reader;
	}

}
