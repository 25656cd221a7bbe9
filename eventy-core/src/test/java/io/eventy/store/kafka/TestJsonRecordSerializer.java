package io.eventy.store.kafka;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordKind;
import io.eventy.serializer.RecordSerializationException;
import io.eventy.serializer.RecordSerializer;

/**
 * A stand-in for {@code JsonRecordSerializer} while it is being written: the Eventy 3.x
 * JSON fields, in order, with Jackson.
 */
final class TestJsonRecordSerializer implements RecordSerializer {

	private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'+00:00'")
		.withZone(ZoneOffset.UTC);

	private final ObjectMapper mapper;

	TestJsonRecordSerializer(ObjectMapper mapper) {
		this.mapper = mapper;
	}

	@Override
	public byte[] serialize(EventyRecord record) {
		ObjectNode node = this.mapper.createObjectNode();
		node.put("type", record.kind().name());
		node.put("namespace", record.namespace());
		node.put("name", record.name());
		node.put("protocol_version", record.protocolVersion());
		node.put("version", record.version());
		node.put("source", record.source());
		node.put("uuid", record.uuid().toString());
		node.put("correlation_id", record.correlationId());
		node.put("partition_key", record.partitionKey());
		node.put("date_timestamp", record.date().toEpochMilli());
		node.put("date_iso8601", ISO.format(record.date()));
		if (record.kind() == RecordKind.RESPONSE) {
			node.put("destination", record.destination());
			node.put("request_uuid", String.valueOf(record.requestUuid()));
			node.put("ok", record.ok());
			node.put("error_code", record.errorCode());
			node.put("error_message", record.errorMessage());
		}
		node.set("context", this.mapper.valueToTree(record.context()));
		node.set("data", record.data());
		try {
			return this.mapper.writeValueAsBytes(node);
		}
		catch (IOException ex) {
			throw new RecordSerializationException("Cannot write " + record.uuid(), ex);
		}
	}

	@Override
	public EventyRecord deserialize(byte[] bytes) {
		JsonNode node;
		try {
			node = this.mapper.readTree(bytes);
		}
		catch (IOException ex) {
			throw new RecordSerializationException("Not JSON: " + ex.getMessage(), ex);
		}
		if (node == null || !node.isObject()) {
			throw new RecordSerializationException("Not a JSON object", null);
		}
		try {
			EventyRecord.Builder builder = EventyRecord.builder(RecordKind.valueOf(text(node, "type")))
				.namespace(text(node, "namespace"))
				.name(text(node, "name"))
				.protocolVersion(text(node, "protocol_version"))
				.version(text(node, "version"))
				.source(text(node, "source"))
				.uuid(UUID.fromString(text(node, "uuid")))
				.correlationId(text(node, "correlation_id"))
				.partitionKey(node.path("partition_key").isTextual() ? node.get("partition_key").asText() : null)
				.date(Instant.ofEpochMilli(node.path("date_timestamp").asLong()))
				.context(this.mapper.convertValue(node.path("context"), new TypeReference<Map<String, Object>>() {
				}))
				.data(node.path("data"));
			if (node.path("type").asText().equals("RESPONSE")) {
				builder.destination(text(node, "destination"))
					.requestUuid(UUID.fromString(text(node, "request_uuid")))
					.ok(node.path("ok").asBoolean())
					.errorCode(node.path("error_code").isInt() ? node.get("error_code").asInt() : null)
					.errorMessage(node.path("error_message").isTextual() ? node.get("error_message").asText() : null);
			}
			return builder.build();
		}
		catch (RuntimeException ex) {
			throw new RecordSerializationException("Not an Eventy record: " + ex.getMessage(), ex);
		}
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || !value.isTextual()) {
			throw new RecordSerializationException("Missing field " + field, null);
		}
		return value.asText();
	}

}
