package io.eventy.store.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventy.handler.DeadLetter;
import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordKind;
import io.eventy.store.StoredRecord;
import io.eventy.store.kafka.KafkaTestRecords.OrderPlaced;
import io.eventy.store.kafka.KafkaTestRecords.OrderShipped;
import io.eventy.testsupport.KafkaTestBroker;
import io.eventy.testsupport.LogCapture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What another producer can put on a subscription's topic, written with a plain
 * {@code KafkaProducer<byte[], byte[]>} and followed by a good record, as each guarantee
 * sees it: a record that cannot be handled is a dead letter at once, listed with a
 * readable reason, and logged with its coordinates; a record no handler selects is
 * skipped; bad Eventy headers are ignored and the record handled; in every case the good
 * record after it is handled once and nothing is tried again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaMalformedRecordsTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final List<String> SUBSCRIPTIONS = List.of("at-least-once", "exactly-once", "at-most-once");

	private static final AtomicInteger sequence = new AtomicInteger();

	private String service;

	private String topic;

	private AnnotationConfigApplicationContext context;

	private LogCapture logs;

	private KafkaProducer<byte[], byte[]> producer;

	private final Map<String, Set<String>> listed = new ConcurrentHashMap<>();

	@BeforeAll
	void start() {
		this.service = KafkaHandlerContexts.newService(1);
		this.topic = this.service + "-events";
		this.logs = LogCapture.start();
		this.context = KafkaHandlerContexts.start(this.service, AtLeastOnce.class, ExactlyOnce.class, AtMostOnce.class,
				Loud.class);
		Map<String, Object> properties = new HashMap<>(KafkaTestBroker.producerProperties());
		properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000_000);
		this.producer = new KafkaProducer<>(properties);
		SUBSCRIPTIONS.forEach((subscription) -> this.listed.put(subscription, Set.of()));
	}

	@AfterAll
	void stop() {
		if (this.producer != null) {
			this.producer.close();
		}
		if (this.context != null) {
			this.context.close();
		}
		if (this.logs != null) {
			this.logs.close();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("deadLetters")
	void recordThatCannotBeHandledIsADeadLetterWithItsReasonAndTheNextRecordIsHandled(String fault, Bad bad,
			String reason) throws Exception {
		long offset = send(bad);
		String good = sendGood();
		awaitHandled(good);

		Map<String, List<DeadLetter>> deadLetters = newDeadLetters();
		for (String subscription : SUBSCRIPTIONS) {
			List<DeadLetter> letters = deadLetters.get(subscription);
			assertThat(letters).as(subscription).singleElement().satisfies((letter) -> {
				assertThat(letter.subscription()).isEqualTo(subscription);
				assertThat(letter.attempts()).isOne();
				assertThat(letter.json())
					.isEqualTo((bad.value() != null) ? new String(bad.value(), StandardCharsets.UTF_8) : "");
				assertThat(letter.lastError()).isNotBlank();
				assertThat(letter.readable() ? letter.lastError() : letter.unreadable() + " " + letter.lastError())
					.contains(reason);
			});
			assertThat(gaveUpLines(subscription, offset)).as(subscription).hasSize(1);
		}
		assertThat(handler(AtLeastOnce.class).calls()).doesNotContainKey(bad.orderId());
		assertThat(handler(ExactlyOnce.class).calls()).doesNotContainKey(bad.orderId());
		assertThat(handler(AtMostOnce.class).calls()).doesNotContainKey(bad.orderId());
	}

	@Test
	void deadLetterOfAMalformedEnvelopeIsLoggedWithTheTraceAndRequestIdsItCarries() throws Exception {
		Bad bad = edited((json) -> json.put("uuid", "not-a-uuid")).withHeader(EventyKafkaHeaders.REQUEST_ID,
				"request-42");
		long offset = send(bad);
		awaitHandled(sendGood());

		assertThat(newDeadLetters()).allSatisfy((subscription, letters) -> assertThat(letters).as(subscription)
			.singleElement()
			.satisfies((letter) -> assertThat(letter.unreadable()).contains("uuid: must be a UUID")));
		for (String subscription : SUBSCRIPTIONS) {
			assertThat(gaveUpLines(subscription, offset)).as(subscription)
				.singleElement()
				.satisfies((line) -> assertThat(line.getMDCPropertyMap()).containsEntry("traceId", TRACE_ID)
					.containsEntry("requestId", "request-42"));
		}
	}

	@Test
	void deadLetterOfARecordWhoseKeyIsTooLargeForItsCopyIsRedrivenWithItsKey() throws Exception {
		byte[] key = bytes("k".repeat(1_047_000));
		Bad bad = edited((json) -> ((ObjectNode) json.get("data")).put("amountCents", "lots")).withKey(key);
		UUID uuid = UUID.fromString(KafkaStoreFixture.MAPPER.readTree(bad.value()).get("uuid").asText());
		long offset = send(bad);
		awaitHandled(sendGood());
		assertThat(newDeadLetters()).allSatisfy(
				(subscription, letters) -> assertThat(letters).as(subscription).singleElement().satisfies((letter) -> {
					assertThat(letter.uuid()).isEqualTo(uuid);
					assertThat(letter.unreadable()).isEqualTo("Its dead-letter copy holds its whole value but not the "
							+ "whole record, cut to fit a Kafka request; the whole record is at offset " + offset
							+ " of " + this.topic + "-0");
				}));

		assertThat(this.context.getBean(KafkaDeadLetters.class).redrive("at-least-once", uuid)).isTrue();
		awaitHandled(sendGood());
		// the re-driven record is a dead letter again, and the others were copied along
		newDeadLetters();
		List<ConsumerRecord<String, byte[]>> redriven = KafkaStoreFixture.readTopic(this.topic, 1)
			.stream()
			.filter((record) -> (this.service + ".at-least-once")
				.equals(KafkaHeaderCodec.get(record.headers(), EventyKafkaHeaders.REDRIVE_SUBSCRIPTION)))
			.toList();
		assertThat(redriven).singleElement().satisfies((record) -> {
			assertThat(record.key()).isEqualTo(new String(key, StandardCharsets.UTF_8));
			assertThat(record.value()).isEqualTo(bad.value());
		});
	}

	@Test
	void recordWhoseHandlerFailsWithAMessageTooLargeForTheDeadLetterCopyIsADeadLetterAndTheNextRecordIsHandled()
			throws Exception {
		Bad bad = good();
		UUID uuid = UUID.fromString(KafkaStoreFixture.MAPPER.readTree(bad.value()).get("uuid").asText());
		Loud loud = handler(Loud.class);
		loud.failOn = bad.orderId();
		long offset = send(bad);
		String good = sendGood();
		awaitHandled(good);
		await().atMost(KafkaTestBroker.timeout()).until(() -> loud.calls().containsKey(good));
		List<DeadLetter> letters = this.context.getBean(KafkaDeadLetters.class)
			.list("loud")
			.stream()
			.filter((letter) -> uuid.equals(letter.uuid()))
			.toList();

		assertThat(letters).singleElement().satisfies((letter) -> {
			assertThat(letter.json()).isEqualTo(new String(bad.value(), StandardCharsets.UTF_8));
			assertThat(letter.lastError()).startsWith("java.lang.IllegalStateException: Cannot take order xxx");
			assertThat(letter.attempts()).isEqualTo(3);
		});
		assertThat(loud.calls().get(bad.orderId())).hasSize(3);
		assertThat(gaveUpLines("loud", offset)).hasSize(1);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("skipped")
	void recordNoHandlerSelectsIsSkippedAndTheNextRecordIsHandled(String fault, Bad bad) throws Exception {
		long offset = send(bad);
		String good = sendGood();
		awaitHandled(good);

		Map<String, List<DeadLetter>> deadLetters = newDeadLetters();
		for (String subscription : SUBSCRIPTIONS) {
			assertThat(deadLetters.get(subscription)).as(subscription).isEmpty();
			assertThat(gaveUpLines(subscription, offset)).as(subscription).isEmpty();
		}
		for (Recorder recorder : List.of(handler(AtLeastOnce.class), handler(ExactlyOnce.class),
				handler(AtMostOnce.class))) {
			assertThat(recorder.calls()).doesNotContainKey(bad.orderId());
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "gzip", "snappy", "lz4", "zstd" })
	void recordCompressedByAnotherProducerIsHandled(String compression) throws Exception {
		Map<String, Object> properties = new HashMap<>(KafkaTestBroker.producerProperties());
		properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
		Bad compressed = good();
		try (KafkaProducer<byte[], byte[]> other = new KafkaProducer<>(properties)) {
			other.send(new ProducerRecord<>(this.topic, compressed.key(), compressed.value()))
				.get(30, TimeUnit.SECONDS);
		}
		awaitHandled(compressed.orderId());
		awaitHandled(sendGood());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badHeaders")
	void recordWithBadEventyHeadersIsHandledWithoutThem(String fault, Bad bad, Consumer<Handled> expected)
			throws Exception {
		send(bad);
		String good = sendGood();
		awaitHandled(good);

		for (Recorder recorder : List.of(handler(AtLeastOnce.class), handler(ExactlyOnce.class),
				handler(AtMostOnce.class))) {
			assertThat(recorder.calls().get(bad.orderId())).as(recorder.getClass().getSimpleName())
				.singleElement()
				.satisfies(expected);
		}
	}

	static Stream<Arguments> deadLetters() {
		return Stream.of(dead("a tombstone (null value)", Bad.of(null), "no JSON value"),
				dead("an empty value", Bad.of(new byte[0]), "no JSON value"),
				dead("bytes that are not UTF-8", Bad.of(new byte[] { (byte) 0xff, (byte) 0xfe, 0x7b, (byte) 0xc3 }),
						"not valid JSON"),
				dead("an envelope with a string that is not UTF-8", notUtf8Envelope(), "not valid JSON"),
				dead("text that is not JSON", Bad.of(bytes("not json at all")), "not valid JSON"),
				dead("JSON cut short", Bad.of(Arrays.copyOf(envelope("cut"), 40)), "not valid JSON"),
				dead("a JSON array", Bad.of(bytes("[1,2]")), "a record is a JSON object, this is an array"),
				dead("a JSON number", Bad.of(bytes("42")), "a record is a JSON object, this is the number 42"),
				dead("JSON null", Bad.of(bytes("null")), "a record is a JSON object"),
				dead("JSON nested deeper than the parser allows", Bad.of(bytes("[".repeat(5000) + "]".repeat(5000))),
						"not valid JSON"),
				dead("type not EVENT, REQUEST or RESPONSE", edited((json) -> json.put("type", "COMMAND")),
						"type: must be EVENT, REQUEST or RESPONSE"),
				dead("namespace without urn:", edited((json) -> json.put("namespace", "shop")),
						"namespace: must be a URN"),
				dead("version not SemVer", edited((json) -> json.put("version", "1.0")), "version: must be SemVer"),
				dead("uuid not a uuid", edited((json) -> json.put("uuid", "not-a-uuid")), "uuid: must be a UUID"),
				dead("date missing", edited((json) -> {
					json.remove("date_timestamp");
					json.remove("date_iso8601");
				}), "date"), dead("name missing", edited((json) -> json.remove("name")), "name: is missing"),
				dead("data an array", edited((json) -> json.putArray("data").add(1)),
						"data: must be a JSON object, was an array"),
				dead("data a string", edited((json) -> json.put("data", "order")), "data: must be a JSON object"),
				dead("data that does not fit the payload type",
						edited((json) -> ((ObjectNode) json.get("data")).put("amountCents", "lots")),
						"PayloadConversionException"),
				dead("data that does not fit, with headers too large for its dead-letter copy",
						edited((json) -> ((ObjectNode) json.get("data")).put("amountCents", "lots"))
							.withHeader("x-large", "h".repeat(900_000)),
						"PayloadConversionException"),
				dead("a null key", Bad.of(bytes("not json at all")).withKey(null), "not valid JSON"),
				dead("a key too large for its dead-letter copy",
						Bad.of(bytes("not json at all")).withKey(bytes("k".repeat(1_048_400))),
						"holds its whole value but not the whole record"));
	}

	static Stream<Arguments> skipped() {
		return Stream.of(
				Arguments.of("a record name no handler selects",
						Bad.of(envelope(EventyRecord.builder(RecordKind.EVENT)
							.namespace("urn:shop")
							.name("OrderShipped")
							.source("urn:elsewhere")
							.data(KafkaStoreFixture.MAPPER.valueToTree(new OrderShipped("skipped")))
							.build()))),
				Arguments.of("an unknown record name",
						Bad.of(envelope(EventyRecord.builder(RecordKind.EVENT)
							.namespace("urn:shop")
							.name("NeverHeardOf")
							.source("urn:elsewhere")
							.data(KafkaStoreFixture.MAPPER.createObjectNode().put("anything", 1))
							.build()))),
				// documented: a re-driven copy is handled only by the subscription it
				// names
				Arguments.of("a re-drive for another subscription",
						good().withHeader(EventyKafkaHeaders.REDRIVE_SUBSCRIPTION, "another-service.another")));
	}

	static Stream<Arguments> badHeaders() {
		return Stream.of(
				handled("a traceparent that is not W3C", good().withHeader(EventyKafkaHeaders.TRACEPARENT, "garbage"),
						(handled) -> assertThat(handled.record().traceparent()).isNull()),
				handled("a request id that is too long",
						good().withHeader(EventyKafkaHeaders.REQUEST_ID, "r".repeat(200)), (handled) -> {
							assertThat(handled.record().requestId()).isNull();
							assertThat(handled.mdc()).doesNotContainKey("requestId");
						}),
				handled("a request id that is not UTF-8",
						good().withHeader(EventyKafkaHeaders.REQUEST_ID, new byte[] { (byte) 0xff, (byte) 0xc3 }),
						(handled) -> {
							assertThat(handled.record().requestId()).isNull();
							assertThat(handled.mdc()).doesNotContainKey("requestId");
						}),
				handled("a request id with a line break",
						good().withHeader(EventyKafkaHeaders.REQUEST_ID, "forged\nERROR line"),
						(handled) -> assertThat(handled.record().requestId()).isNull()),
				handled("a causation id that is too long",
						good().withHeader(EventyKafkaHeaders.CAUSATION_ID, "c".repeat(200)),
						(handled) -> assertThat(handled.record().causationId()).isNull()),
				handled("a request id repeated", good().withHeader(EventyKafkaHeaders.REQUEST_ID, "first")
					.withHeader(EventyKafkaHeaders.REQUEST_ID, "second"), (handled) -> {
						assertThat(handled.record().requestId()).isEqualTo("second");
						assertThat(handled.mdc()).containsEntry("requestId", "second");
					}),
				handled("a request id without a value", good().withHeader(EventyKafkaHeaders.REQUEST_ID, (byte[]) null),
						(handled) -> assertThat(handled.record().requestId()).isNull()),
				handled("stream headers that name no stream",
						good().withHeader(EventyKafkaHeaders.STREAM_TYPE, " ")
							.withHeader(EventyKafkaHeaders.STREAM_ID, "s".repeat(300)),
						(handled) -> assertThat(handled.record().stream()).isNull()),
				handled("very large headers", good().withHeader("x-large", "h".repeat(900_000)),
						(handled) -> assertThat(handled.record().record().name()).isEqualTo("OrderPlaced")),
				handled("a null key", good().withKey(null),
						(handled) -> assertThat(handled.record().record().name()).isEqualTo("OrderPlaced")),
				handled("a key that is not UTF-8", good().withKey(new byte[] { (byte) 0xff, (byte) 0xfe }),
						(handled) -> assertThat(handled.record().record().name()).isEqualTo("OrderPlaced")));
	}

	private static Arguments dead(String fault, Bad bad, String reason) {
		return Arguments.of(fault, bad, reason);
	}

	private static Arguments handled(String fault, Bad bad, Consumer<Handled> expected) {
		return Arguments.of(fault, bad, expected);
	}

	private long send(Bad bad) throws Exception {
		List<Header> headers = new ArrayList<>(bad.headers());
		return this.producer.send(new ProducerRecord<>(this.topic, null, bad.key(), bad.value(), headers))
			.get(30, TimeUnit.SECONDS)
			.offset();
	}

	private String sendGood() throws Exception {
		String orderId = "good-" + sequence.incrementAndGet();
		this.producer.send(new ProducerRecord<>(this.topic, bytes("key"), envelope(orderId))).get(30, TimeUnit.SECONDS);
		return orderId;
	}

	private void awaitHandled(String orderId) {
		await().atMost(KafkaTestBroker.timeout())
			.until(() -> handler(AtLeastOnce.class).calls().containsKey(orderId)
					&& handler(ExactlyOnce.class).calls().containsKey(orderId)
					&& handler(AtMostOnce.class).calls().containsKey(orderId));
		for (Recorder recorder : List.of(handler(AtLeastOnce.class), handler(ExactlyOnce.class),
				handler(AtMostOnce.class))) {
			assertThat(recorder.calls().get(orderId)).as(recorder.getClass().getSimpleName()).hasSize(1);
		}
	}

	/**
	 * Return the dead letters of each subscription listed since the last call, listing
	 * the subscriptions side by side.
	 */
	private Map<String, List<DeadLetter>> newDeadLetters() {
		Map<String, CompletableFuture<List<DeadLetter>>> listings = new LinkedHashMap<>();
		SUBSCRIPTIONS.forEach((subscription) -> listings.put(subscription,
				CompletableFuture.supplyAsync(() -> newDeadLetters(subscription))));
		Map<String, List<DeadLetter>> letters = new LinkedHashMap<>();
		listings.forEach((subscription, listing) -> letters.put(subscription, listing.join()));
		return letters;
	}

	private List<DeadLetter> newDeadLetters(String subscription) {
		List<DeadLetter> letters = this.context.getBean(KafkaDeadLetters.class).list(subscription);
		Set<String> before = this.listed.get(subscription);
		this.listed.put(subscription, letters.stream().map(DeadLetter::id).collect(Collectors.toSet()));
		return letters.stream().filter((letter) -> !before.contains(letter.id())).toList();
	}

	private List<ILoggingEvent> gaveUpLines(String subscription, long offset) {
		String where = "gave up on record at offset " + offset + " of " + this.topic + "-0 ";
		return this.logs.lines(Level.ERROR, this.service + "." + subscription + "-")
			.stream()
			.filter((line) -> line.getFormattedMessage().contains(where))
			.toList();
	}

	private <T extends Recorder> T handler(Class<T> type) {
		return this.context.getBean(type);
	}

	private static Bad edited(Consumer<ObjectNode> edit) {
		try {
			ObjectNode json = (ObjectNode) KafkaStoreFixture.MAPPER
				.readTree(envelope("bad-" + sequence.incrementAndGet()));
			edit.accept(json);
			return Bad.of(KafkaStoreFixture.MAPPER.writeValueAsBytes(json));
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Bad notUtf8Envelope() {
		byte[] value = envelope("\u00e9");
		byte[] bad = value.clone();
		for (int i = 0; i < bad.length - 1; i++) {
			if (bad[i] == (byte) 0xc3 && bad[i + 1] == (byte) 0xa9) {
				bad[i + 1] = 0x28;
			}
		}
		assertThat(bad).isNotEqualTo(value);
		return Bad.of(bad);
	}

	private static Bad good() {
		String orderId = "bad-" + sequence.incrementAndGet();
		return new Bad(bytes("key"), envelope(orderId), List.of(), orderId);
	}

	private static byte[] envelope(String orderId) {
		return envelope(EventyRecord.builder(RecordKind.EVENT)
			.namespace("urn:shop")
			.name("OrderPlaced")
			.source("urn:elsewhere")
			.correlationId(TRACE_ID)
			.data(KafkaStoreFixture.MAPPER.valueToTree(new OrderPlaced(orderId, 1)))
			.build());
	}

	private static byte[] envelope(EventyRecord record) {
		return KafkaStoreFixture.serializer().serialize(record);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * A record another producer writes.
	 *
	 * @param key the key
	 * @param value the value
	 * @param headers the headers
	 * @param orderId the order id of its data, when it has one
	 */
	record Bad(byte @Nullable [] key, byte @Nullable [] value, List<Header> headers, String orderId) {

		static Bad of(byte @Nullable [] value) {
			String orderId;
			try {
				orderId = KafkaStoreFixture.MAPPER.readTree(value).get("data").get("orderId").asText();
			}
			catch (Exception ex) {
				// no order in it
				orderId = "none";
			}
			return new Bad(bytes("key"), value, List.of(), orderId);
		}

		Bad withKey(byte @Nullable [] key) {
			return new Bad(key, this.value, this.headers, this.orderId);
		}

		Bad withHeader(String name, String value) {
			return withHeader(name, bytes(value));
		}

		Bad withHeader(String name, byte @Nullable [] value) {
			List<Header> headers = new ArrayList<>(this.headers);
			headers.add(new RecordHeader(name, value));
			return new Bad(this.key, this.value, List.copyOf(headers), this.orderId);
		}

		@Override
		public String toString() {
			return (this.value != null) ? this.value.length + " bytes" : "null";
		}

	}

	/**
	 * A call of a handler.
	 *
	 * @param record the record it got
	 * @param mdc the MDC it ran with
	 */
	record Handled(StoredRecord record, Map<String, String> mdc) {
	}

	abstract static class Recorder {

		private final Map<String, List<Handled>> calls = new ConcurrentHashMap<>();

		Map<String, List<Handled>> calls() {
			return this.calls;
		}

		void record(OrderPlaced event, StoredRecord record) {
			Map<String, String> mdc = MDC.getCopyOfContextMap();
			this.calls.computeIfAbsent(event.orderId(), (id) -> new CopyOnWriteArrayList<>())
				.add(new Handled(record, (mdc != null) ? mdc : Map.of()));
		}

	}

	static class AtLeastOnce extends Recorder {

		@EventHandler(subscription = "at-least-once")
		void onOrderPlaced(OrderPlaced event, StoredRecord record) {
			record(event, record);
		}

	}

	static class ExactlyOnce extends Recorder {

		@EventHandler(subscription = "exactly-once", guarantee = Guarantee.EXACTLY_ONCE)
		void onOrderPlaced(OrderPlaced event, StoredRecord record) {
			record(event, record);
		}

	}

	/**
	 * Fails on the records of the test that wants it, with a message longer than a Kafka
	 * request.
	 */
	static class Loud extends Recorder {

		volatile @Nullable String failOn;

		@EventHandler(subscription = "loud")
		void onOrderPlaced(OrderPlaced event, StoredRecord record) {
			record(event, record);
			if (event.orderId().equals(this.failOn)) {
				throw new IllegalStateException("Cannot take order " + "x".repeat(1_100_000));
			}
		}

	}

	static class AtMostOnce extends Recorder {

		@EventHandler(subscription = "at-most-once", guarantee = Guarantee.AT_MOST_ONCE)
		void onOrderPlaced(OrderPlaced event, StoredRecord record) {
			record(event, record);
		}

	}

}
