package io.eventy.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.record.EventyRecord;
import io.eventy.record.InvalidRecordException;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordKind;
import io.eventy.record.UnknownRecordTypeException;
import io.eventy.store.StoreTestRecords.Note;
import io.eventy.store.StoreTestRecords.OrderPlaced;
import io.eventy.store.StoreTestRecords.OrderShipped;
import io.eventy.store.StoreTestRecords.PaymentRequested;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The behaviour every {@link EventStore} shares. A store's tests extend this class and
 * create the store once per class; each test works on streams and stream types of its
 * own, and tests of a class run one after the other, so positions read back belong to the
 * test that reads them.
 * <p>
 * A store that cannot do something the contract tests (Kafka and expected versions, for
 * example) overrides that test with one asserting the
 * {@link UnsupportedStoreOperationException}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EventStoreContractTests {

	/** JSON trees are equal when their numbers are, whatever their Java types. */
	private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (left, right) -> {
		if (left.isNumber() && right.isNumber()) {
			return left.decimalValue().compareTo(right.decimalValue());
		}
		return left.equals(right) ? 0 : 1;
	};

	private EventStore store;

	/**
	 * Create the store under test; called once per test class.
	 * @param recordFactory the record factory the store must use (its types are
	 * {@link StoreTestRecords}, with Bean Validation on)
	 * @return the store
	 */
	protected abstract EventStore createStore(RecordFactory recordFactory);

	@BeforeAll
	protected void createStoreOnce() {
		this.store = createStore(StoreTestRecords.recordFactory());
	}

	/**
	 * Return the store under test.
	 * @return the store
	 */
	protected EventStore store() {
		return this.store;
	}

	/**
	 * Return a stream no other test uses.
	 * @param type the stream type
	 * @return a new stream id
	 */
	protected static StreamId newStream(String type) {
		return StreamId.of(type, UUID.randomUUID().toString());
	}

	/**
	 * Return a stream type no other test uses.
	 * @return a new stream type
	 */
	protected static String newStreamType() {
		return "type-" + UUID.randomUUID();
	}

	@Test
	protected void saysItKeepsStreamsByVersion() {
		assertThat(this.store.supportsStreamVersions()).isTrue();
	}

	@Test
	protected void appendsRecordsInVersionOrderAndReadsThemBack() {
		StreamId stream = newStream("order");
		AppendResult result = this.store.append(stream, ExpectedVersion.noStream(), new OrderPlaced("42", 1200),
				new OrderShipped("42"));
		assertThat(result.streamVersion()).isEqualTo(2);
		assertThat(result.records()).extracting(StoredRecord::streamVersion).containsExactly(1L, 2L);
		List<StoredRecord> read = this.store.readStream(stream);
		assertThat(read).isEqualTo(result.records());
		assertThat(read).extracting(StoredRecord::streamVersion).containsExactly(1L, 2L);
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
		assertThat(first.data().equals(NUMBERS_BY_VALUE, written.data()))
			.as("%s equals %s", first.data(), written.data())
			.isTrue();
	}

	@Test
	protected void readsAStreamFromAVersionOnInclusive() {
		StreamId stream = newStream("order");
		this.store.append(stream, ExpectedVersion.any(), new OrderPlaced("1", 1), new OrderPlaced("2", 2),
				new OrderPlaced("3", 3));
		assertThat(this.store.readStream(stream, 2)).extracting(StoredRecord::streamVersion).containsExactly(2L, 3L);
		assertThat(this.store.readStream(stream, 4)).isEmpty();
	}

	@Test
	protected void readsNothingFromAStreamThatDoesNotExist() {
		assertThat(this.store.readStream(newStream("order"))).isEmpty();
	}

	@Test
	protected void refusesToReadAStreamFromAVersionBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.readStream(newStream("order"), 0))
			.withMessageContaining("fromVersion");
	}

	@Test
	protected void appendsWithAnyVersionToANewAndToAnExistingStream() {
		StreamId stream = newStream("order");
		assertThat(this.store.append(stream, ExpectedVersion.any(), new OrderPlaced("1", 1)).streamVersion())
			.isEqualTo(1);
		AppendResult second = this.store.append(stream, ExpectedVersion.any(), new OrderShipped("1"),
				new OrderShipped("1"));
		assertThat(second.streamVersion()).isEqualTo(3);
		assertThat(second.records()).extracting(StoredRecord::streamVersion).containsExactly(2L, 3L);
		assertThat(this.store.readStream(stream)).extracting(StoredRecord::streamVersion).containsExactly(1L, 2L, 3L);
	}

	@Test
	protected void appendsWithNoStreamToANewStream() {
		StreamId stream = newStream("order");
		AppendResult result = this.store.append(stream, ExpectedVersion.noStream(), new OrderPlaced("1", 1));
		assertThat(result.streamVersion()).isEqualTo(1);
		assertThat(this.store.readStream(stream)).hasSize(1);
	}

	@Test
	protected void refusesToAppendWithNoStreamToAnExistingStream() {
		StreamId stream = newStream("order");
		this.store.append(stream, ExpectedVersion.noStream(), new OrderPlaced("1", 1));
		assertThatExceptionOfType(ConcurrencyException.class)
			.isThrownBy(() -> this.store.append(stream, ExpectedVersion.noStream(), new OrderShipped("1")))
			.satisfies((ex) -> {
				assertThat(ex.stream()).isEqualTo(stream);
				assertThat(ex.expected()).isEqualTo(ExpectedVersion.noStream());
				assertThat(ex.actual()).isEqualTo(1);
			})
			.withMessageContaining("expected at version no stream")
			.withMessageContaining("is at version 1");
		assertThat(this.store.readStream(stream)).hasSize(1);
	}

	@Test
	protected void appendsWithTheRightExactVersion() {
		StreamId stream = newStream("order");
		this.store.append(stream, ExpectedVersion.noStream(), new OrderPlaced("1", 1), new OrderShipped("1"));
		AppendResult result = this.store.append(stream, ExpectedVersion.exactly(2), new OrderShipped("1"));
		assertThat(result.streamVersion()).isEqualTo(3);
		assertThat(this.store.append(stream, ExpectedVersion.exactly(3), new OrderShipped("1")).streamVersion())
			.isEqualTo(4);
	}

	@Test
	protected void refusesToAppendWithAWrongExactVersionAndStoresNothing() {
		StreamId stream = newStream("order");
		this.store.append(stream, ExpectedVersion.noStream(), new OrderPlaced("1", 1), new OrderShipped("1"));
		for (long wrong : new long[] { 1, 3 }) {
			assertThatExceptionOfType(ConcurrencyException.class)
				.isThrownBy(() -> this.store.append(stream, ExpectedVersion.exactly(wrong), new OrderShipped("1")))
				.satisfies((ex) -> assertThat(ex.actual()).isEqualTo(2))
				.withMessageContaining("expected at version " + wrong)
				.withMessageContaining("is at version 2");
		}
		assertThat(this.store.readStream(stream)).hasSize(2);
	}

	@Test
	protected void refusesToAppendWithAnExactVersionToAStreamThatDoesNotExist() {
		StreamId stream = newStream("order");
		assertThatExceptionOfType(ConcurrencyException.class)
			.isThrownBy(() -> this.store.append(stream, ExpectedVersion.exactly(1), new OrderPlaced("1", 1)))
			.satisfies((ex) -> assertThat(ex.actual()).isZero());
		assertThat(this.store.readStream(stream)).isEmpty();
	}

	@Test
	protected void storesNothingOfAConflictingAppend() {
		String type = newStreamType();
		StreamId stream = newStream(type);
		AppendResult first = this.store.append(stream, ExpectedVersion.noStream(), new OrderPlaced("1", 1));
		assertThatExceptionOfType(ConcurrencyException.class).isThrownBy(() -> this.store.append(stream,
				ExpectedVersion.exactly(5), new OrderShipped("1"), new OrderShipped("2"), new OrderShipped("3")));
		assertThat(this.store.readStream(stream)).isEqualTo(first.records());
		assertThat(this.store.readCategory(type, 0, 100)).isEqualTo(first.records());
		assertThat(this.store.readAll(first.records().get(0).position() + 1, 100)).isEmpty();
		assertThat(this.store.append(stream, ExpectedVersion.exactly(1), new OrderShipped("1")).streamVersion())
			.isEqualTo(2);
	}

	@Test
	protected void concurrentWritersRetryingOnConflictsEndWithContiguousVersionsAndNoLostRecord() throws Exception {
		StreamId stream = newStream("order");
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
					long version = 0;
					for (int i = 0; i < appendsPerWriter; i++) {
						OrderPlaced payload = new OrderPlaced(writerId + "-" + i, i);
						while (true) {
							try {
								version = this.store.append(stream, ExpectedVersion.exactly(version), payload)
									.streamVersion();
								break;
							}
							catch (ConcurrencyException ex) {
								version = ex.actual();
							}
						}
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
		List<StoredRecord> records = this.store.readStream(stream);
		int total = writers * appendsPerWriter;
		assertThat(records).extracting(StoredRecord::streamVersion)
			.containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
		Set<String> expectedIds = Stream.iterate(0, (w) -> w + 1)
			.limit(writers)
			.flatMap((w) -> Stream.iterate(0, (i) -> i + 1).limit(appendsPerWriter).map((i) -> w + "-" + i))
			.collect(Collectors.toSet());
		assertThat(records.stream().map((stored) -> stored.payload(OrderPlaced.class).orderId()))
			.containsExactlyInAnyOrderElementsOf(expectedIds);
	}

	@Test
	protected void concurrentWritersAppendingWithAnyVersionAllSucceedWithContiguousVersions() throws Exception {
		StreamId stream = newStream("order");
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
						this.store.append(stream, ExpectedVersion.any(), new OrderPlaced(writerId + "-" + i, i),
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
		List<StoredRecord> records = this.store.readStream(stream);
		int total = 2 * writers * appendsPerWriter;
		assertThat(records).extracting(StoredRecord::streamVersion)
			.containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
		for (int i = 0; i < total; i += 2) {
			// the two records of one append are next to each other
			assertThat(records.get(i).payload(OrderPlaced.class).orderId())
				.isEqualTo(records.get(i + 1).payload(OrderShipped.class).orderId());
		}
	}

	@Test
	protected void rejectsAnInvalidPayloadBeforeAnythingIsStored() {
		StreamId stream = newStream("order");
		assertThatExceptionOfType(InvalidRecordException.class)
			.isThrownBy(() -> this.store.append(stream, ExpectedVersion.any(), new OrderPlaced("1", 1),
					new OrderPlaced(" ", -1)))
			.satisfies((ex) -> assertThat(ex.violations()).containsExactlyInAnyOrder(
					"amountCents: must be greater than or equal to 0", "orderId: must not be blank"));
		assertThat(this.store.readStream(stream)).isEmpty();
		StoredRecord marker = this.store.publish(new OrderShipped("marker"));
		assertThatExceptionOfType(InvalidRecordException.class)
			.isThrownBy(() -> this.store.publish(new OrderShipped("")))
			.withMessageContaining("orderId");
		assertThat(this.store.readAll(marker.position() + 1, 10)).isEmpty();
	}

	@Test
	protected void rejectsPublishingAnUnknownName() {
		StoredRecord marker = this.store.publish(new OrderShipped("marker"));
		assertThatExceptionOfType(UnknownRecordTypeException.class)
			.isThrownBy(() -> this.store.publish("urn:shop:NoSuchThing", Map.of("orderId", "1")))
			.withMessageContaining("urn:shop:NoSuchThing");
		assertThat(this.store.readAll(marker.position() + 1, 10)).isEmpty();
	}

	@Test
	protected void rejectsPublishingByNameDataThatIsInvalidForTheType() {
		assertThatExceptionOfType(InvalidRecordException.class)
			.isThrownBy(() -> this.store.publish("urn:shop:OrderPlaced", Map.of("orderId", "1", "amountCents", -5)))
			.withMessageContaining("amountCents");
	}

	protected static Stream<String> hostileStrings() {
		return Stream.of("it's", "\"double\" quotes", "a; DROP TABLE eventy_records; --", "' OR '1'='1", "-- comment",
				"/* comment */", "back\\slash", "\\u0000 written as text", "$$dollar$$ $tag$", "%_wildcards_%",
				"Zürich – 東京 – Ελλάδα – עברית", "emoji 🎉👩‍👩‍👧", "line\nbreak\ttab\r", "{\"json\": [1, 2]}",
				"E'\\x00'", "x".repeat(StreamId.MAX_LENGTH),
				"é".repeat(StreamId.MAX_LENGTH / 2) + "🎉".repeat(StreamId.MAX_LENGTH / 4));
	}

	@ParameterizedTest
	@MethodSource("hostileStrings")
	protected void storesHostileStreamIdsUnchanged(String hostile) {
		String id = hostile + UUID.randomUUID();
		StreamId stream = StreamId.of(hostile, id.substring(0, Math.min(id.length(), StreamId.MAX_LENGTH)));
		AppendResult appended = this.store.append(stream, ExpectedVersion.noStream(), new Note("hostile id"));
		List<StoredRecord> read = this.store.readStream(stream);
		assertThat(read).isEqualTo(appended.records());
		assertThat(read.get(0).stream()).isEqualTo(stream);
		assertThat(read.get(0).record().partitionKey()).isEqualTo(stream.partitionKey());
		assertThat(this.store.readCategory(hostile, appended.records().get(0).position(), 10))
			.extracting(StoredRecord::stream)
			.containsExactly(stream);
	}

	@ParameterizedTest
	@MethodSource("hostileStrings")
	protected void storesHostilePayloadStringsUnchanged(String hostile) {
		StreamId stream = newStream("note");
		this.store.append(stream, ExpectedVersion.noStream(), new Note(hostile));
		StoredRecord read = this.store.readStream(stream).get(0);
		assertThat(read.payload(Note.class).text()).isEqualTo(hostile);
		assertThat(read.record().data().get("text").asText()).isEqualTo(hostile);
		StoredRecord published = this.store.publish("urn:shop:Note", Map.of("text", hostile));
		assertThat(this.store.readAll(published.position(), 1).get(0).payload(Note.class).text()).isEqualTo(hostile);
	}

	@Test
	protected void readsACategoryInPositionOrderFromAPositionWithALimit() {
		String type = newStreamType();
		StreamId a1 = newStream(type);
		StreamId a2 = newStream(type);
		StreamId other = newStream(newStreamType());
		this.store.append(a1, ExpectedVersion.any(), new OrderPlaced("a1", 1));
		this.store.append(other, ExpectedVersion.any(), new OrderPlaced("b", 1));
		this.store.append(a2, ExpectedVersion.any(), new OrderPlaced("a2", 1));
		this.store.append(a1, ExpectedVersion.any(), new OrderShipped("a1"));
		this.store.append(other, ExpectedVersion.any(), new OrderShipped("b"));
		this.store.append(a2, ExpectedVersion.any(), new OrderShipped("a2"));
		List<StoredRecord> all = this.store.readCategory(type, 0, 100);
		assertThat(all).extracting((stored) -> stored.stream() + "@" + stored.streamVersion())
			.containsExactly(a1 + "@1", a2 + "@1", a1 + "@2", a2 + "@2");
		assertThat(all).extracting(StoredRecord::position).isSorted();
		assertThat(this.store.readCategory(type, 0, 3)).isEqualTo(all.subList(0, 3));
		assertThat(this.store.readCategory(type, all.get(2).position(), 100)).isEqualTo(all.subList(2, 4));
		assertThat(this.store.readCategory(type, all.get(3).position() + 1, 100)).isEmpty();
		assertThat(this.store.readCategory(newStreamType(), 0, 100)).isEmpty();
	}

	@Test
	protected void readsEverythingInPositionOrderFromAPositionWithALimit() {
		StreamId stream = newStream("order");
		AppendResult appended = this.store.append(stream, ExpectedVersion.any(), new OrderPlaced("1", 1),
				new OrderShipped("1"), new OrderShipped("1"));
		StoredRecord published = this.store.publish(new OrderShipped("published"));
		List<StoredRecord> expected = new ArrayList<>(appended.records());
		expected.add(published);
		long from = appended.records().get(0).position();
		assertThat(this.store.readAll(from, 100)).isEqualTo(expected);
		assertThat(this.store.readAll(from, 2)).isEqualTo(expected.subList(0, 2));
		assertThat(this.store.readAll(expected.get(2).position(), 100)).isEqualTo(expected.subList(2, 4));
		assertThat(this.store.readAll(0, 1)).hasSize(1);
		assertThat(this.store.readAll(published.position() + 1, 100)).isEmpty();
	}

	@Test
	protected void refusesToReadWithALimitBelowOneOrANegativePosition() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.readAll(0, 0)).withMessageContaining("limit");
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.readAll(-1, 10))
			.withMessageContaining("fromPosition");
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.readCategory("order", 0, 0))
			.withMessageContaining("limit");
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.readCategory("order", -1, 10))
			.withMessageContaining("fromPosition");
	}

	@Test
	protected void publishesARecordOfNoStream() {
		StoredRecord published = this.store.publish(new OrderShipped("7"));
		assertThat(published.stream()).isNull();
		assertThat(published.streamVersion()).isZero();
		assertThat(published.record().partitionKey()).isNull();
		StoredRecord read = this.store.readAll(published.position(), 1).get(0);
		assertThat(read).isEqualTo(published);
		assertThat(read.stream()).isNull();
		assertThat(read.streamVersion()).isZero();
		assertThat(read.payload(OrderShipped.class)).isEqualTo(new OrderShipped("7"));
	}

	@Test
	protected void publishesARecordByName() {
		StoredRecord published = this.store.publish("urn:shop:OrderPlaced", Map.of("orderId", "9", "amountCents", 500));
		assertThat(published.record().qualifiedName()).isEqualTo("urn:shop:OrderPlaced");
		assertThat(published.record().version()).isEqualTo("1.2.0");
		StoredRecord read = this.store.readAll(published.position(), 1).get(0);
		assertThat(read.payload(OrderPlaced.class)).isEqualTo(new OrderPlaced("9", 500));
		assertThat(read.stream()).isNull();
	}

	@Test
	protected void storesTheKindOfTheRecordType() {
		StreamId stream = newStream("payment");
		this.store.append(stream, ExpectedVersion.any(), new PaymentRequested("1"));
		assertThat(this.store.readStream(stream).get(0).record().kind()).isEqualTo(RecordKind.REQUEST);
	}

	@Test
	protected void recordsCarryTheIdsOfTheCurrentContext() {
		StreamId stream = newStream("order");
		EventyContext context = new EventyContext("4bf92f3577b34da6a3ce929d0e0e4736", "request-1",
				UUID.randomUUID().toString(), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
				Map.of("tenant", Map.of("id", "acme"), "retry", Map.of("attempt", 2)));
		try (EventyContextHolder.Scope scope = EventyContextHolder.open(context)) {
			this.store.append(stream, ExpectedVersion.any(), new OrderPlaced("1", 1));
		}
		this.store.append(stream, ExpectedVersion.any(), new OrderShipped("1"));
		List<StoredRecord> read = this.store.readStream(stream);
		StoredRecord inScope = read.get(0);
		assertThat(inScope.record().correlationId()).isEqualTo(context.traceId());
		assertThat(inScope.requestId()).isEqualTo("request-1");
		assertThat(inScope.causationId()).isEqualTo(context.causationId());
		assertThat(inScope.traceparent()).isEqualTo(context.traceparent());
		assertThat(inScope.record().context())
			.isEqualTo(Map.of("tenant", Map.of("id", "acme"), "retry", Map.of("attempt", 2)));
		StoredRecord outside = read.get(1);
		assertThat(outside.requestId()).isNull();
		assertThat(outside.causationId()).isNull();
		assertThat(outside.traceparent()).isNull();
		assertThat(outside.record().correlationId()).isNotBlank().isNotEqualTo(context.traceId());
		assertThat(outside.record().context()).isEmpty();
	}

	@Test
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
		this.store.append(stream, ExpectedVersion.noStream(), event);
		EventyRecord read = this.store.readStream(stream).get(0).record();
		assertThat(read).isEqualTo(event.toBuilder().partitionKey(stream.partitionKey()).build());
	}

	@Test
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
		this.store.append(stream, ExpectedVersion.any(), response);
		EventyRecord read = this.store.readStream(stream).get(0).record();
		assertThat(read.kind()).isEqualTo(RecordKind.RESPONSE);
		assertThat(read.destination()).isEqualTo("urn:order-service");
		assertThat(read.requestUuid()).isEqualTo(requestUuid);
		assertThat(read.ok()).isFalse();
		assertThat(read.errorCode()).isEqualTo(409);
		assertThat(read.errorMessage()).isEqualTo("card 'declined'; try again");
		assertThat(read).isEqualTo(response.toBuilder().partitionKey(stream.partitionKey()).build());
	}

}
