package io.eventy.store.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventy.record.EventyRecord;
import io.eventy.record.InvalidRecordException;
import io.eventy.record.PayloadConverter;
import io.eventy.record.RecordKind;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import org.jspecify.annotations.Nullable;

/**
 * Writes records to statement parameters and reads them back from rows: JSON text for
 * {@code context} and {@code data}, everything else column by column.
 */
final class RecordRows {

	private static final RecordKind[] KINDS = RecordKind.values();

	private static final TypeReference<Map<String, Object>> CONTEXT_TYPE = new TypeReference<>() {
	};

	private final ObjectWriter writer;

	private final ObjectReader treeReader;

	private final ObjectReader contextReader;

	private final PayloadConverter converter;

	RecordRows(ObjectMapper objectMapper, PayloadConverter converter) {
		this.writer = objectMapper.writer();
		this.treeReader = objectMapper.readerFor(JsonNode.class);
		this.contextReader = objectMapper.readerFor(CONTEXT_TYPE);
		this.converter = converter;
	}

	/**
	 * A record ready to be bound: its JSON columns are written once, and checked.
	 *
	 * @param record the record
	 * @param context the {@code context} column
	 * @param data the {@code data} column
	 */
	record Row(EventyRecord record, String context, String data) {

		/**
		 * Return whether the record fills a column that only a response has.
		 * @return {@code true} for a response
		 */
		boolean hasResponseFields() {
			return this.record.destination() != null || this.record.requestUuid() != null || this.record.ok() != null
					|| this.record.errorCode() != null || this.record.errorMessage() != null;
		}

	}

	/**
	 * Write a record's JSON columns and check that PostgreSQL can store every value.
	 * @param record the record
	 * @return the row
	 * @throws InvalidRecordException if a value cannot be stored
	 */
	Row row(EventyRecord record) {
		String context = record.context().isEmpty() ? "{}" : json(record, "context", record.context());
		String data = json(record, "data", record.data());
		checkText(record, "namespace", record.namespace());
		checkText(record, "name", record.name());
		checkText(record, "source", record.source());
		checkText(record, "correlation_id", record.correlationId());
		checkText(record, "partition_key", record.partitionKey());
		checkText(record, "destination", record.destination());
		checkText(record, "error_message", record.errorMessage());
		return new Row(record, context, data);
	}

	/**
	 * Bind the parameters of one record: 12, then the 5 of a response when they are
	 * inserted.
	 * @param statement the statement
	 * @param index the first parameter's index
	 * @param row the record
	 * @param responses whether the statement inserts the columns of a response
	 * @return the index of the next parameter
	 * @throws SQLException if the driver refuses a value
	 */
	static int bind(PreparedStatement statement, int index, Row row, boolean responses) throws SQLException {
		EventyRecord record = row.record();
		int i = index;
		statement.setObject(i++, record.uuid());
		statement.setString(i++, record.kind().name());
		statement.setString(i++, record.namespace());
		statement.setString(i++, record.name());
		statement.setString(i++, record.protocolVersion());
		statement.setString(i++, record.version());
		statement.setString(i++, record.source());
		statement.setString(i++, record.correlationId());
		statement.setString(i++, record.partitionKey());
		statement.setObject(i++, OffsetDateTime.ofInstant(record.date(), ZoneOffset.UTC));
		statement.setString(i++, row.context());
		statement.setString(i++, row.data());
		if (!responses) {
			return i;
		}
		statement.setString(i++, record.destination());
		statement.setObject(i++, record.requestUuid());
		if (record.ok() != null) {
			statement.setBoolean(i++, record.ok());
		}
		else {
			statement.setNull(i++, Types.BOOLEAN);
		}
		if (record.errorCode() != null) {
			statement.setInt(i++, record.errorCode());
		}
		else {
			statement.setNull(i++, Types.INTEGER);
		}
		statement.setString(i++, record.errorMessage());
		return i;
	}

	/**
	 * Read the current row of a result of {@link RecordSql}'s read queries.
	 * @param result the result, on a row
	 * @param stream the stream every row belongs to, if known
	 * @return the stored record
	 * @throws SQLException if the row cannot be read
	 */
	StoredRecord read(ResultSet result, @Nullable StreamId stream) throws SQLException {
		long position = result.getLong(1);
		UUID uuid = result.getObject(2, UUID.class);
		String streamType = result.getString(3);
		StreamId recordStream = stream;
		if (recordStream == null && streamType != null) {
			recordStream = StreamId.of(streamType, result.getString(4));
		}
		long streamVersion = result.getLong(5);
		RecordKind kind = kind(result.getString(6));
		OffsetDateTime date = result.getObject(17, OffsetDateTime.class);
		Map<String, Object> context = readContext(position, result.getString(18));
		ObjectNode data = readData(position, result.getString(19));
		UUID requestUuid = result.getObject(21, UUID.class);
		boolean ok = result.getBoolean(22);
		Boolean okOrNull = result.wasNull() ? null : ok;
		int errorCode = result.getInt(23);
		Integer errorCodeOrNull = result.wasNull() ? null : errorCode;
		EventyRecord record = new EventyRecord(kind, result.getString(7), result.getString(8), result.getString(9),
				result.getString(10), result.getString(11), uuid, result.getString(12), result.getString(13),
				date.toInstant(), context, data, result.getString(20), requestUuid, okOrNull, errorCodeOrNull,
				result.getString(24));
		return new StoredRecord(record, recordStream, streamVersion, position, result.getString(14),
				result.getString(15), result.getString(16), this.converter);
	}

	/**
	 * Return a stored record for a record just inserted.
	 * @param row the record
	 * @param stream its stream, or {@code null}
	 * @param streamVersion its stream version, {@code 0} without stream
	 * @param position its position
	 * @param metadata the ids it was stored with
	 * @return the stored record
	 */
	StoredRecord stored(Row row, @Nullable StreamId stream, long streamVersion, long position, Metadata metadata) {
		return new StoredRecord(row.record(), stream, streamVersion, position, metadata.requestId(),
				metadata.causationId(), metadata.traceparent(), this.converter);
	}

	private Map<String, Object> readContext(long position, String json) {
		if ("{}".equals(json)) {
			return Map.of();
		}
		try {
			return this.contextReader.readValue(json);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("The context of the record at position " + position
					+ " is not a JSON object: " + ex.getOriginalMessage(), ex);
		}
	}

	private ObjectNode readData(long position, String json) {
		JsonNode data;
		try {
			data = this.treeReader.readValue(json);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(
					"The data of the record at position " + position + " is not JSON: " + ex.getOriginalMessage(), ex);
		}
		if (data instanceof ObjectNode object) {
			return object;
		}
		throw new IllegalStateException("The data of the record at position " + position + " is not a JSON object but "
				+ ((data != null) ? data.getNodeType() : "null"));
	}

	private String json(EventyRecord record, String field, Object value) {
		String json;
		try {
			json = this.writer.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new InvalidRecordException(record.qualifiedName(),
					List.of(field + ": cannot be written as JSON: " + ex.getOriginalMessage()));
		}
		if (containsNulEscape(json)) {
			throw new InvalidRecordException(record.qualifiedName(), List.of(field
					+ ": contains the character U+0000, which PostgreSQL cannot store in jsonb; remove it or encode it"));
		}
		return json;
	}

	/**
	 * Return the kind a {@code kind} column names, comparing without hashing the text
	 * (once per record read).
	 * @param value the column's value
	 * @return the kind
	 * @throws IllegalArgumentException if it names no kind
	 */
	static RecordKind kind(String value) {
		for (RecordKind kind : KINDS) {
			if (kind.name().equals(value)) {
				return kind;
			}
		}
		return RecordKind.valueOf(value);
	}

	private static void checkText(EventyRecord record, String field, @Nullable String value) {
		if (value != null && value.indexOf('\0') >= 0) {
			throw new InvalidRecordException(record.qualifiedName(), List
				.of(field + ": contains the character U+0000, which PostgreSQL cannot store in text; remove it"));
		}
	}

	/**
	 * Return whether JSON text holds the escape of U+0000, which {@code jsonb} refuses. A
	 * {@code \u0000} preceded by an odd number of further backslashes is an escaped
	 * backslash followed by plain text, not the escape.
	 * @param json JSON text
	 * @return whether it holds {@code \u0000} as an escape
	 */
	static boolean containsNulEscape(String json) {
		int at = json.indexOf("\\u0000");
		while (at >= 0) {
			int backslashes = 1;
			for (int i = at - 1; i >= 0 && json.charAt(i) == '\\'; i--) {
				backslashes++;
			}
			if (backslashes % 2 == 1) {
				return true;
			}
			at = json.indexOf("\\u0000", at + 1);
		}
		return false;
	}

	/**
	 * The store metadata written with records: ids from the current context.
	 *
	 * @param requestId the request id, or {@code null}
	 * @param causationId the causation id, or {@code null}
	 * @param traceparent the W3C trace parent, or {@code null}
	 */
	record Metadata(@Nullable String requestId, @Nullable String causationId, @Nullable String traceparent) {

		static final Metadata NONE = new Metadata(null, null, null);

		int bind(PreparedStatement statement, int index) throws SQLException {
			statement.setString(index, this.requestId);
			statement.setString(index + 1, this.causationId);
			statement.setString(index + 2, this.traceparent);
			return index + 3;
		}

	}

}
