package io.eventy.store.postgres;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Writes a record's row as the Eventy protocol JSON without reading it as a record first,
 * so that a row that is not a valid record can still be shown: the columns as they are,
 * in the protocol's field order, {@code context} and {@code data} as stored (PostgreSQL's
 * text of the {@code jsonb}, which is always JSON, whatever its shape).
 */
final class RecordRowJson {

	private static final JsonFactory factory = new JsonFactory();

	private static final DateTimeFormatter ISO_WRITER = DateTimeFormatter
		.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private RecordRowJson() {
	}

	/**
	 * Write the row a result set is on, read with
	 * {@link SubscriptionRecordReader#COLUMNS}.
	 * @param result the row
	 * @return its protocol JSON
	 * @throws SQLException if a column cannot be read
	 */
	static String of(ResultSet result) throws SQLException {
		StringWriter json = new StringWriter();
		try (JsonGenerator generator = factory.createGenerator(json)) {
			generator.writeStartObject();
			text(generator, "type", result.getString("kind"));
			text(generator, "namespace", result.getString("namespace"));
			text(generator, "name", result.getString("name"));
			text(generator, "protocol_version", result.getString("protocol_version"));
			text(generator, "version", result.getString("version"));
			text(generator, "source", result.getString("source"));
			text(generator, "uuid", result.getString("uuid"));
			text(generator, "correlation_id", result.getString("correlation_id"));
			text(generator, "partition_key", result.getString("partition_key"));
			OffsetDateTime date = result.getObject("recorded_at", OffsetDateTime.class);
			if (date != null) {
				generator.writeNumberField("date_timestamp", date.toInstant().toEpochMilli());
				generator.writeStringField("date_iso8601", ISO_WRITER.format(date));
			}
			String destination = result.getString("destination");
			String requestUuid = result.getString("request_uuid");
			Object ok = result.getObject("ok");
			if ("RESPONSE".equals(result.getString("kind")) || destination != null || requestUuid != null
					|| ok != null) {
				text(generator, "destination", destination);
				text(generator, "request_uuid", requestUuid);
				generator.writeFieldName("ok");
				if (ok instanceof Boolean value) {
					generator.writeBoolean(value);
				}
				else {
					generator.writeNull();
				}
				int errorCode = result.getInt("error_code");
				if (result.wasNull()) {
					generator.writeNullField("error_code");
				}
				else {
					generator.writeNumberField("error_code", errorCode);
				}
				text(generator, "error_message", result.getString("error_message"));
			}
			raw(generator, "context", result.getString("context"));
			raw(generator, "data", result.getString("data"));
			generator.writeEndObject();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return json.toString();
	}

	private static void text(JsonGenerator generator, String name, @Nullable String value) throws IOException {
		if (value != null) {
			generator.writeStringField(name, value);
		}
		else {
			generator.writeNullField(name);
		}
	}

	private static void raw(JsonGenerator generator, String name, @Nullable String jsonb) throws IOException {
		generator.writeFieldName(name);
		if (jsonb != null) {
			generator.writeRawValue(jsonb);
		}
		else {
			generator.writeNull();
		}
	}

}
