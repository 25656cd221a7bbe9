package io.eventy.serializer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the protocol test vectors of {@code vectors/protocol-vectors.json}: records as
 * Python eventy 3.x writes them and as this library writes them, each with the fields it
 * decodes to. Python's records are read field for field; ours are also written back byte
 * for byte, and keep to what Python eventy accepts.
 */
class ProtocolVectorsTests {

	private static final ObjectMapper objectMapper = new ObjectMapper();

	// what Python eventy 3.x checks when it reads a record
	private static final Pattern PYTHON_SEMVER = Pattern.compile("(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
			+ "(-(0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)(\\.(0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*))*)?"
			+ "(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");

	private static final Pattern PYTHON_ISO_DATE = Pattern
		.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\+00:00");

	private final JsonRecordSerializer serializer = new JsonRecordSerializer(objectMapper);

	static Stream<Arguments> vectors() throws IOException {
		try (InputStream in = ProtocolVectorsTests.class.getResourceAsStream("vectors/protocol-vectors.json")) {
			List<Arguments> vectors = new ArrayList<>();
			for (JsonNode vector : objectMapper.readTree(in)) {
				vectors.add(Arguments.of(vector.get("written_by").textValue() + ": " + vector.get("name").textValue(),
						vector));
			}
			assertThat(vectors).hasSizeGreaterThanOrEqualTo(19);
			return vectors.stream();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("vectors")
	void decodesEachVectorToItsExpectedFields(String name, JsonNode vector) throws IOException {
		EventyRecord record = this.serializer.deserialize(wire(vector));
		assertThat(decoded(record)).isEqualTo(vector.get("expected"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("vectors")
	void writesOurVectorsBackByteForByteAndPythonsWithTheSameDecodedFields(String name, JsonNode vector)
			throws IOException {
		byte[] written = this.serializer.serialize(this.serializer.deserialize(wire(vector)));
		if (vector.get("written_by").textValue().equals("java")) {
			assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(vector.get("wire").textValue());
		}
		assertThat(decoded(this.serializer.deserialize(written))).isEqualTo(vector.get("expected"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("vectors")
	void writesEveryVectorAsPythonEventyReadsIt(String name, JsonNode vector) throws IOException {
		JsonNode written = objectMapper.readTree(this.serializer.serialize(this.serializer.deserialize(wire(vector))));
		assertThat(written.get("namespace").textValue()).startsWith("urn:");
		assertThat(written.get("source").textValue()).startsWith("urn:");
		assertThat(written.get("version").textValue()).matches(PYTHON_SEMVER);
		assertThat(written.get("protocol_version").textValue()).matches(PYTHON_SEMVER);
		assertThat(written.get("date_iso8601").textValue()).matches(PYTHON_ISO_DATE);
		assertThat(written.get("context").isObject()).isTrue();
		assertThat(written.get("data").isObject()).isTrue();
		if (written.get("type").textValue().equals("RESPONSE")) {
			assertThat(written.get("destination").textValue()).startsWith("urn:").doesNotContain(".");
			assertThat(written.get("ok").isBoolean()).isTrue();
		}
	}

	private static byte[] wire(JsonNode vector) {
		return vector.get("wire").textValue().getBytes(StandardCharsets.UTF_8);
	}

	private static ObjectNode decoded(EventyRecord record) throws IOException {
		ObjectNode fields = JsonNodeFactory.instance.objectNode();
		fields.put("type", record.kind().name());
		fields.put("namespace", record.namespace());
		fields.put("name", record.name());
		fields.put("protocol_version", record.protocolVersion());
		fields.put("version", record.version());
		fields.put("source", record.source());
		fields.put("uuid", record.uuid().toString());
		fields.put("correlation_id", record.correlationId());
		fields.put("partition_key", record.partitionKey());
		// NaN and infinities as strings, as the vectors (strict JSON) spell them
		fields.set("context", objectMapper.readTree(objectMapper.writeValueAsString(record.context())));
		fields.set("data", objectMapper.readTree(objectMapper.writeValueAsString(record.data())));
		if (record.kind() == RecordKind.RESPONSE) {
			fields.put("destination", record.destination());
			fields.put("request_uuid", String.valueOf(record.requestUuid()));
			fields.put("ok", record.ok());
			fields.put("error_code", record.errorCode());
			fields.put("error_message", record.errorMessage());
		}
		fields.put("date", record.date().toString());
		return fields;
	}

}
