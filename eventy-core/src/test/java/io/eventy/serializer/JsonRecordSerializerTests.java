package io.eventy.serializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JsonRecordSerializerTests {

	private static final UUID RECORD_UUID = UUID.fromString("6f1c1a52-8f3e-4c4b-9a51-3d5f0f0b6a10");

	private static final UUID REQUEST_UUID = UUID.fromString("1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d");

	private static final Instant DATE = Instant.parse("2025-11-24T16:00:00.123Z");

	private final ObjectMapper objectMapper = new ObjectMapper();

	private final JsonRecordSerializer serializer = new JsonRecordSerializer(this.objectMapper);

	@Test
	void roundTripsAnEvent() {
		EventyRecord event = event().build();
		assertThat(this.serializer.deserialize(this.serializer.serialize(event))).isEqualTo(event);
	}

	@Test
	void roundTripsARequest() {
		EventyRecord request = EventyRecord.builder(RecordKind.REQUEST)
			.namespace("urn:stock")
			.name("ReserveStock")
			.source("urn:order-service")
			.partitionKey("A-1")
			.data(data(Map.of("sku", "A-1", "qty", 2)))
			.build();
		assertThat(this.serializer.deserialize(this.serializer.serialize(request))).isEqualTo(request);
	}

	@Test
	void roundTripsASuccessfulResponse() {
		EventyRecord response = response().ok(true).build();
		EventyRecord read = this.serializer.deserialize(this.serializer.serialize(response));
		assertThat(read).isEqualTo(response);
		assertThat(read.ok()).isTrue();
		assertThat(read.errorCode()).isNull();
	}

	@Test
	void roundTripsAFailedResponse() {
		EventyRecord response = response().ok(false).errorCode(409).errorMessage("Out of stock: A-1").build();
		EventyRecord read = this.serializer.deserialize(this.serializer.serialize(response));
		assertThat(read).isEqualTo(response);
		assertThat(read.ok()).isFalse();
		assertThat(read.errorCode()).isEqualTo(409);
		assertThat(read.errorMessage()).isEqualTo("Out of stock: A-1");
	}

	@Test
	void writesAnEventFieldByFieldInPythonEventyOrder() {
		String json = new String(this.serializer.serialize(event().build()), StandardCharsets.UTF_8);
		assertThat(json).isEqualTo("{\"type\":\"EVENT\",\"namespace\":\"urn:shop\",\"name\":\"OrderPlaced\","
				+ "\"protocol_version\":\"1.0.0\",\"version\":\"1.2.0\",\"source\":\"urn:order-service\","
				+ "\"uuid\":\"6f1c1a52-8f3e-4c4b-9a51-3d5f0f0b6a10\",\"correlation_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
				+ "\"partition_key\":\"order-42\",\"date_timestamp\":1764000000123,"
				+ "\"date_iso8601\":\"2025-11-24T16:00:00.123+00:00\",\"context\":{\"user\":{\"id\":\"u-1\"}},"
				+ "\"data\":{\"orderId\":\"42\",\"amountCents\":1200}}");
	}

	@Test
	void writesResponseFieldsBeforeContextAndANullPartitionKeyAsNull() {
		String json = new String(this.serializer.serialize(response().ok(false).build()), StandardCharsets.UTF_8);
		assertThat(json)
			.isEqualTo("{\"type\":\"RESPONSE\",\"namespace\":\"urn:stock\",\"name\":\"ReserveStockResponse\","
					+ "\"protocol_version\":\"1.0.0\",\"version\":\"1.0.0\",\"source\":\"urn:stock-service\","
					+ "\"uuid\":\"6f1c1a52-8f3e-4c4b-9a51-3d5f0f0b6a10\",\"correlation_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
					+ "\"partition_key\":null,\"date_timestamp\":1764000000123,"
					+ "\"date_iso8601\":\"2025-11-24T16:00:00.123+00:00\",\"destination\":\"urn:order-service\","
					+ "\"request_uuid\":\"1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d\",\"ok\":false,\"error_code\":null,"
					+ "\"error_message\":null,\"context\":{},\"data\":{}}");
	}

	@Test
	void writesDateIso8601WithAnExplicitOffsetAndMillisecondsNeverZ() throws IOException {
		for (String date : List.of("2025-11-24T16:00:00.123456789Z", "2025-11-24T16:00:00Z", "1970-01-01T00:00:00Z",
				"0999-03-04T05:06:07.008Z", "9999-12-31T23:59:59.999999Z")) {
			Instant instant = Instant.parse(date);
			byte[] bytes = this.serializer.serialize(event().date(instant).build());
			String iso = this.objectMapper.readTree(bytes).get("date_iso8601").textValue();
			assertThat(iso).doesNotEndWith("Z")
				.endsWith("+00:00")
				.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+00:00");
			assertThat(Instant.from(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(iso)))
				.isEqualTo(instant.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
			assertThat(this.objectMapper.readTree(bytes).get("date_timestamp").longValue())
				.isEqualTo(instant.toEpochMilli());
		}
		assertThat(JsonRecordSerializer.formatIso8601(Instant.parse("2025-11-24T16:00:00.123456789Z")))
			.isEqualTo("2025-11-24T16:00:00.123+00:00");
	}

	@Test
	void writesCompactJsonEvenWhenTheApplicationIndents() {
		JsonRecordSerializer indenting = new JsonRecordSerializer(
				new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT));
		EventyRecord event = event().build();
		assertThat(indenting.serialize(event)).isEqualTo(this.serializer.serialize(event));
	}

	@Test
	void readsAnEventExactlyAsPythonEventyWritesIt() throws IOException {
		EventyRecord record = this.serializer.deserialize(fixture("python-event.json"));
		assertThat(record.kind()).isEqualTo(RecordKind.EVENT);
		assertThat(record.qualifiedName()).isEqualTo("urn:shop:OrderPlaced");
		assertThat(record.protocolVersion()).isEqualTo("1.0.0");
		assertThat(record.version()).isEqualTo("1.2.0");
		assertThat(record.source()).isEqualTo("urn:order-service");
		assertThat(record.uuid()).isEqualTo(UUID.fromString("0b6a2c1e-57a4-4f0e-9c7d-2f1e8a3b5c60"));
		assertThat(record.correlationId()).isEqualTo("shop-OrderPlaced-7f3a9c");
		assertThat(record.partitionKey()).isEqualTo("order-42");
		assertThat(record.date()).isEqualTo(Instant.parse("2025-11-24T16:00:00.123Z"));
		assertThat(record.context()).isEqualTo(Map.of("user", Map.of("id", "u-1", "roles", List.of("admin"))));
		assertThat(record.data().get("note").textValue()).isEqualTo("café \uD83D\uDE00");
		assertThat(record.data().get("lines").get(0).get("qty").intValue()).isEqualTo(2);
		assertThat(record.data().get("coupon").isNull()).isTrue();
		assertThat(record.destination()).isNull();
		assertThat(record.ok()).isNull();
	}

	@Test
	void readsAFailedResponseExactlyAsPythonEventyWritesIt() throws IOException {
		EventyRecord record = this.serializer.deserialize(fixture("python-response.json"));
		assertThat(record.kind()).isEqualTo(RecordKind.RESPONSE);
		assertThat(record.qualifiedName()).isEqualTo("urn:stock:ReserveStockResponse");
		assertThat(record.partitionKey()).isNull();
		assertThat(record.date()).isEqualTo(Instant.parse("2025-11-24T16:00:00.999Z"));
		assertThat(record.destination()).isEqualTo("urn:order-service");
		assertThat(record.requestUuid()).isEqualTo(UUID.fromString("9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"));
		assertThat(record.ok()).isFalse();
		assertThat(record.errorCode()).isEqualTo(409);
		assertThat(record.errorMessage()).isEqualTo("Out of stock: A-1");
		assertThat(record.context()).isEmpty();
		assertThat(record.data().isEmpty()).isTrue();
	}

	@Test
	void rewritesWhatPythonWroteWithTheSameFieldsAndValues() throws IOException {
		byte[] python = fixture("python-response.json");
		ObjectNode expected = (ObjectNode) this.objectMapper.readTree(python);
		expected.put("date_iso8601", "2025-11-24T16:00:00.999+00:00");
		byte[] java = this.serializer.serialize(this.serializer.deserialize(python));
		assertThat(this.objectMapper.readTree(java)).isEqualTo(expected);
		assertThat(fieldNames(java)).isEqualTo(fieldNames(python));
	}

	@Test
	void readsTheIsoDateWithAnyOffsetWhenTheTimestampIsAbsent() {
		EventyRecord record = read((json) -> {
			json.remove("date_timestamp");
			json.put("date_iso8601", "2025-11-24T18:00:00.123456+02:00");
		});
		assertThat(record.date()).isEqualTo(Instant.parse("2025-11-24T16:00:00.123Z"));
	}

	@Test
	void parsesEveryIso8601FormWithAnOffsetAsJavaTimeDoes() {
		for (String text : List.of("2025-11-24T16:00:00+00:00", "2025-11-24T16:00:00Z", "2025-11-24T16:00:00.1+00:00",
				"2025-11-24T16:00:00.123+00:00", "2025-11-24T16:00:00.123456+00:00",
				"2025-11-24T16:00:00.123456789+00:00", "2025-11-24T18:30:00.5+02:30", "2025-11-24T10:00:00-06:00",
				"2024-02-29T23:59:59.999-00:00", "0001-01-01T00:00:00+00:00", "2025-11-24T16:00:00+05:45:30")) {
			assertThat(JsonRecordSerializer.parseIso8601(text)).as(text)
				.isEqualTo(java.time.OffsetDateTime.parse(text).toInstant());
		}
		assertThat(JsonRecordSerializer.parseIso8601("2025-11-24 16:00:00.123456+00:00"))
			.isEqualTo(Instant.parse("2025-11-24T16:00:00.123456Z"));
	}

	@Test
	void refusesIso8601TextThatIsNotADateWithAnOffset() {
		for (String text : List.of("2025-11-24T16:00:00.123", "2025-13-24T16:00:00+00:00", "2025-02-30T16:00:00+00:00",
				"2025-11-24T24:00:00+00:00", "2025-11-24T16:00:00.1234567890+00:00", "2025-11-24T16:00:00+19:00",
				"2025-11-24T16:00:00+0000x", "2025-11-24", "yesterday", "2025-11-24T16:00:00.123+00:00 ",
				"+2025-11-24T16:00:00+00:00")) {
			assertThatExceptionOfType(RecordSerializationException.class).as(text)
				.isThrownBy(() -> JsonRecordSerializer.parseIso8601(text))
				.withMessageContaining("date_iso8601: must be an ISO 8601 date and time with an offset");
		}
	}

	@Test
	void prefersDateIso8601WhenBothDatesArePresentAsPythonEventyDoes() {
		EventyRecord record = read((json) -> {
			json.put("date_timestamp", 1095679367132L);
			json.put("date_iso8601", "2004-09-20T11:22:47.133+00:00");
		});
		assertThat(record.date()).isEqualTo(Instant.parse("2004-09-20T11:22:47.133Z"));
	}

	@Test
	void readsNullOrMissingDataAndContextAsEmptyObjects() {
		EventyRecord missing = read((json) -> {
			json.remove("data");
			json.remove("context");
		});
		EventyRecord nulls = read((json) -> {
			json.putNull("data");
			json.putNull("context");
		});
		assertThat(missing.data().isEmpty()).isTrue();
		assertThat(missing.context()).isEmpty();
		assertThat(nulls.data().isEmpty()).isTrue();
		assertThat(nulls.context()).isEmpty();
	}

	@Test
	void readsNanAndInfinityInDataAsPythonsJsonWritesThem() {
		byte[] python = ("{\"type\": \"EVENT\", \"namespace\": \"urn:shop\", \"name\": \"Rated\", "
				+ "\"protocol_version\": \"1.0.0\", \"version\": \"1.0.0\", \"source\": \"urn:py\", "
				+ "\"uuid\": \"6f1c1a52-8f3e-4c4b-9a51-3d5f0f0b6a10\", \"correlation_id\": \"c\", "
				+ "\"partition_key\": null, \"date_timestamp\": 1764000000123, "
				+ "\"date_iso8601\": \"2025-11-24T16:00:00.123+00:00\", \"context\": {}, "
				+ "\"data\": {\"a\": NaN, \"b\": Infinity, \"c\": -Infinity}}")
			.getBytes(StandardCharsets.UTF_8);
		EventyRecord record = this.serializer.deserialize(python);
		assertThat(record.data().get("a").doubleValue()).isNaN();
		assertThat(record.data().get("b").doubleValue()).isEqualTo(Double.POSITIVE_INFINITY);
		assertThat(record.data().get("c").doubleValue()).isEqualTo(Double.NEGATIVE_INFINITY);
	}

	@Test
	void readsAFloatTimestampCutToMilliseconds() {
		EventyRecord record = read((json) -> json.put("date_timestamp", 1764000000123.9));
		assertThat(record.date()).isEqualTo(Instant.parse("2025-11-24T16:00:00.123Z"));
	}

	@Test
	void ignoresUnknownTopLevelFields() {
		EventyRecord record = read((json) -> {
			json.put("added_in_protocol_1_1", "whatever");
			json.putObject("metadata").put("x", 1);
		});
		assertThat(record).isEqualTo(event().build());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformedRecords")
	void refusesAMalformedRecordNamingWhatIsWrong(String problem, byte[] input, String expectedInMessage) {
		assertThatExceptionOfType(RecordSerializationException.class)
			.isThrownBy(() -> this.serializer.deserialize(input))
			.withMessageStartingWith("Cannot read Eventy record: ")
			.withMessageContaining(expectedInMessage);
	}

	static Stream<Arguments> malformedRecords() {
		byte[] valid = new JsonRecordSerializer(new ObjectMapper()).serialize(event().build());
		String text = new String(valid, StandardCharsets.UTF_8);
		return Stream.of(Arguments.of("truncated JSON", bytes(text.substring(0, text.length() / 2)), "not valid JSON"),
				Arguments.of("trailing garbage", bytes(text + "}"), "not valid JSON"),
				Arguments.of("empty input", new byte[0], "empty input"),
				Arguments.of("an array", bytes("[" + text + "]"), "a JSON object, this is an array"),
				Arguments.of("a string", bytes("\"EVENT\""), "a JSON object, this is the string 'EVENT'"),
				Arguments.of("missing uuid", edit(valid, (json) -> json.remove("uuid")), "uuid: is missing"),
				Arguments.of("bad uuid", edit(valid, (json) -> json.put("uuid", "6f1c1a52-8f3e")),
						"uuid: must be a UUID"),
				Arguments.of("uuid not a string", edit(valid, (json) -> json.put("uuid", 42)),
						"uuid: must be a string, was the number 42"),
				Arguments.of("unknown type", edit(valid, (json) -> json.put("type", "event")),
						"type: must be EVENT, REQUEST or RESPONSE, was 'event'"),
				Arguments.of("namespace without urn:", edit(valid, (json) -> json.put("namespace", "shop")),
						"namespace: must be a URN"),
				Arguments.of("source without urn:", edit(valid, (json) -> json.put("source", "order-service")),
						"source: must be a URN"),
				Arguments.of("version not SemVer", edit(valid, (json) -> json.put("version", "1.0")),
						"version: must be SemVer (1.2.3), was '1.0'"),
				Arguments.of("protocol_version missing", edit(valid, (json) -> json.remove("protocol_version")),
						"protocol_version: is missing"),
				Arguments.of("blank correlation_id", edit(valid, (json) -> json.put("correlation_id", " ")),
						"correlation_id: must not be blank"),
				Arguments.of("partition_key a number", edit(valid, (json) -> json.put("partition_key", 42)),
						"partition_key: must be a string or null"),
				Arguments.of("data not an object", edit(valid, (json) -> json.putArray("data")),
						"data: must be a JSON object, was an array"),
				Arguments.of("context not an object", edit(valid, (json) -> json.put("context", "x")),
						"context: must be a JSON object, was the string 'x'"),
				Arguments.of("context value not an object",
						edit(valid, (json) -> json.putObject("context").put("user", "u-1")),
						"context.user: must be a JSON object"),
				Arguments.of("date_timestamp a string",
						edit(valid, (json) -> json.put("date_timestamp", "1764000000123")),
						"date_timestamp: must be a number of milliseconds since the epoch, was the string"),
				Arguments.of("date_timestamp out of range", edit(valid, (json) -> {
					json.remove("date_iso8601");
					json.put("date_timestamp", new java.math.BigInteger("1" + "0".repeat(30)));
				}), "date_timestamp: is out of range"),
				Arguments.of("date_iso8601 without offset",
						edit(valid, (json) -> json.put("date_iso8601", "2025-11-24T16:00:00.123")),
						"date_iso8601: must be an ISO 8601 date and time with an offset"),
				Arguments.of("both dates missing", edit(valid, (json) -> {
					json.remove("date_timestamp");
					json.remove("date_iso8601");
				}), "date_timestamp: is missing, and so is date_iso8601"),
				Arguments.of("response without request_uuid", edit(valid, (json) -> {
					json.put("type", "RESPONSE");
					json.put("destination", "urn:order-service");
					json.put("ok", true);
				}), "request_uuid: is missing"), Arguments.of("response with ok as a string", edit(valid, (json) -> {
					json.put("type", "RESPONSE");
					json.put("destination", "urn:order-service");
					json.put("request_uuid", REQUEST_UUID.toString());
					json.put("ok", "true");
				}), "ok: must be true or false"),
				Arguments.of("response with a fractional error_code", edit(valid, (json) -> {
					json.put("type", "RESPONSE");
					json.put("destination", "urn:order-service");
					json.put("request_uuid", REQUEST_UUID.toString());
					json.put("ok", false);
					json.put("error_code", 1.5);
				}), "error_code: must be an integer or null"),
				Arguments.of("response with destination without urn:", edit(valid, (json) -> {
					json.put("type", "RESPONSE");
					json.put("destination", "order-service");
					json.put("request_uuid", REQUEST_UUID.toString());
					json.put("ok", true);
				}), "destination: a response needs the URN"));
	}

	@Test
	void refusesNullBytesWithARecordSerializationException() {
		assertThatExceptionOfType(RecordSerializationException.class)
			.isThrownBy(() -> this.serializer.deserialize(null))
			.withMessageContaining("null");
	}

	@Test
	void quotesLittleOfTheInputInItsMessages() throws IOException {
		String huge = "x".repeat(10_000);
		List<byte[]> inputs = List.of(bytes("{\"type\": \"" + huge), bytes("[\"" + huge + "\"]"),
				bytes("{\"" + huge + "\": tru}"),
				edit(this.serializer.serialize(event().build()), (json) -> json.put("namespace", "n" + huge)),
				edit(this.serializer.serialize(event().build()), (json) -> {
					json.put("namespace", "n" + huge);
					json.put("source", "s" + huge);
					json.put("version", "v" + huge);
					json.put("protocol_version", "p" + huge);
				}), edit(this.serializer.serialize(event().build()), (json) -> json.put("uuid", huge)));
		for (byte[] input : inputs) {
			assertThatExceptionOfType(RecordSerializationException.class)
				.isThrownBy(() -> this.serializer.deserialize(input))
				.satisfies((ex) -> {
					assertThat(ex.getMessage()).doesNotContain("x".repeat(201)).hasSizeLessThan(700);
					if (ex.getCause() != null) {
						assertThat(String.valueOf(ex.getCause().getMessage())).doesNotContain("x".repeat(501));
					}
				});
		}
	}

	private EventyRecord read(Consumer<ObjectNode> edit) {
		return this.serializer.deserialize(edit(this.serializer.serialize(event().build()), edit));
	}

	private static EventyRecord.Builder event() {
		Map<String, Object> context = new LinkedHashMap<>();
		context.put("user", Map.of("id", "u-1"));
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("orderId", "42");
		data.put("amountCents", 1200);
		return EventyRecord.builder(RecordKind.EVENT)
			.namespace("urn:shop")
			.name("OrderPlaced")
			.version("1.2.0")
			.source("urn:order-service")
			.uuid(RECORD_UUID)
			.correlationId("4bf92f3577b34da6a3ce929d0e0e4736")
			.partitionKey("order-42")
			.date(DATE)
			.context(context)
			.data(data(data));
	}

	private static EventyRecord.Builder response() {
		return EventyRecord.builder(RecordKind.RESPONSE)
			.namespace("urn:stock")
			.name("ReserveStockResponse")
			.source("urn:stock-service")
			.uuid(RECORD_UUID)
			.correlationId("4bf92f3577b34da6a3ce929d0e0e4736")
			.date(DATE)
			.destination("urn:order-service")
			.requestUuid(REQUEST_UUID);
	}

	private static ObjectNode data(Map<String, ?> values) {
		return new ObjectMapper().valueToTree(values);
	}

	private static byte[] edit(byte[] json, Consumer<ObjectNode> edit) {
		ObjectMapper mapper = new ObjectMapper();
		try {
			ObjectNode tree = (ObjectNode) mapper.readTree(json);
			edit.accept(tree);
			return mapper.writeValueAsBytes(tree);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private List<String> fieldNames(byte[] json) throws IOException {
		List<String> names = new java.util.ArrayList<>();
		this.objectMapper.readTree(json).fieldNames().forEachRemaining(names::add);
		return names;
	}

	private static byte[] fixture(String name) throws IOException {
		try (InputStream in = JsonRecordSerializerTests.class.getResourceAsStream(name)) {
			assertThat(in).as(name).isNotNull();
			return in.readAllBytes();
		}
	}

}
