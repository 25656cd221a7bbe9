package io.eventy.serializer;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventy.record.EventyRecord;
import io.eventy.record.InvalidRecordException;
import io.eventy.record.RecordKind;
import org.jspecify.annotations.Nullable;

/**
 * The Eventy 3.x JSON {@link RecordSerializer}: what it writes, Python eventy reads, and
 * it reads what Python eventy writes.
 * <p>
 * <b>Writing.</b> One compact UTF-8 JSON object, fields in the order Python eventy writes
 * them: {@code type}, {@code namespace}, {@code name}, {@code protocol_version},
 * {@code version}, {@code source}, {@code uuid}, {@code correlation_id},
 * {@code partition_key} ({@code null} when there is none), {@code date_timestamp} (epoch
 * milliseconds, an integer), {@code date_iso8601} (UTC with milliseconds and an explicit
 * offset, {@code 2025-11-24T16:00:00.123+00:00}, never {@code Z}, which Python's
 * {@code datetime.fromisoformat} reads from Python 3.7 on), then for a response
 * {@code destination}, {@code request_uuid}, {@code ok}, {@code error_code},
 * {@code error_message}, and last {@code context} and {@code data}. {@code context} and
 * {@code data} are written with the application's {@link ObjectMapper}; its indentation
 * setting is ignored.
 * <p>
 * <b>Reading</b> takes whatever Python eventy 3.x writes and reads. Every field above is
 * required, except:
 * <ul>
 * <li>{@code partition_key}, {@code error_code} and {@code error_message}, which may be
 * {@code null} or absent;</li>
 * <li>{@code context} and {@code data}, read as an empty object when {@code null} or
 * absent, as Python eventy does;</li>
 * <li>{@code ok} of a response, read as {@code true} when absent (Python eventy's
 * default);</li>
 * <li>the date, for which one of {@code date_timestamp} and {@code date_iso8601} is
 * enough. When both are present, {@code date_iso8601} wins, as in Python eventy, whose
 * writer computes {@code date_timestamp} in floating point and is sometimes one
 * millisecond low; {@code date_timestamp} must still be a number. {@code date_timestamp}
 * may be an integer or a float (cut to whole milliseconds); {@code date_iso8601} may have
 * any fraction of a second (Python writes microseconds, cut to milliseconds) and any
 * offset, but must have one.</li>
 * </ul>
 * An {@code error_code} beyond 32 bits (Python's integers have no bound) is read as the
 * nearest 32-bit value, {@link Integer#MAX_VALUE} or {@link Integer#MIN_VALUE}.
 * Upper-case uuids are read, and written back in lower case. {@code NaN},
 * {@code Infinity} and {@code -Infinity}, which Python's {@code json} writes for such
 * floats, are read as those doubles in {@code data} and {@code context}. Top-level fields
 * this version does not know are ignored, so that a newer protocol version's additions do
 * not break an older reader; response fields on an event or a request are ignored the
 * same way.
 * <p>
 * Anything else (bytes that are not JSON, JSON that is not an object, a missing or
 * mistyped field, a malformed uuid, an envelope that breaks a protocol rule) throws
 * {@link RecordSerializationException} naming the field and what is wrong. Its message
 * quotes at most a few dozen characters of any input value.
 */
public final class JsonRecordSerializer implements RecordSerializer {

	private static final String CANNOT_READ = "Cannot read Eventy record: ";

	private static final int MAX_QUOTED = 48;

	private static final int MAX_MESSAGE = 600;

	private static final DateTimeFormatter ISO_WRITER = DateTimeFormatter
		.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private static final TypeReference<LinkedHashMap<String, Object>> CONTEXT_TYPE = new TypeReference<>() {
	};

	private final JsonFactory factory;

	private final ObjectWriter writer;

	private final ObjectReader treeReader;

	private final ObjectReader contextReader;

	/**
	 * Create a serializer.
	 * @param objectMapper the application's object mapper, for {@code context} and
	 * {@code data}
	 */
	public JsonRecordSerializer(ObjectMapper objectMapper) {
		Objects.requireNonNull(objectMapper, "objectMapper");
		this.factory = objectMapper.getFactory();
		this.writer = objectMapper.writer()
			.without(SerializationFeature.INDENT_OUTPUT)
			.without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
		this.treeReader = objectMapper.reader()
			.with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.with(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);
		this.contextReader = objectMapper.readerFor(CONTEXT_TYPE);
	}

	@Override
	public byte[] serialize(EventyRecord record) {
		Objects.requireNonNull(record, "record");
		ByteArrayBuilder out = new ByteArrayBuilder(512);
		try (JsonGenerator generator = this.factory.createGenerator(out, JsonEncoding.UTF8)) {
			write(record, generator);
		}
		catch (IOException | RuntimeException ex) {
			throw new RecordSerializationException("Cannot write Eventy record " + record.qualifiedName() + " "
					+ record.uuid() + ": " + abbreviate(String.valueOf(ex.getMessage()), 200), ex);
		}
		return out.toByteArray();
	}

	private void write(EventyRecord record, JsonGenerator generator) throws IOException {
		generator.writeStartObject();
		generator.writeStringField("type", record.kind().name());
		generator.writeStringField("namespace", record.namespace());
		generator.writeStringField("name", record.name());
		generator.writeStringField("protocol_version", record.protocolVersion());
		generator.writeStringField("version", record.version());
		generator.writeStringField("source", record.source());
		generator.writeStringField("uuid", record.uuid().toString());
		generator.writeStringField("correlation_id", record.correlationId());
		generator.writeStringField("partition_key", record.partitionKey());
		generator.writeNumberField("date_timestamp", record.date().toEpochMilli());
		generator.writeStringField("date_iso8601", formatIso8601(record.date()));
		if (record.kind() == RecordKind.RESPONSE) {
			generator.writeStringField("destination", record.destination());
			generator.writeStringField("request_uuid", String.valueOf(record.requestUuid()));
			generator.writeBooleanField("ok", Boolean.TRUE.equals(record.ok()));
			if (record.errorCode() != null) {
				generator.writeNumberField("error_code", record.errorCode());
			}
			else {
				generator.writeNullField("error_code");
			}
			generator.writeStringField("error_message", record.errorMessage());
		}
		generator.writeFieldName("context");
		if (record.context().isEmpty()) {
			generator.writeStartObject();
			generator.writeEndObject();
		}
		else {
			this.writer.writeValue(generator, record.context());
		}
		generator.writeFieldName("data");
		this.writer.writeValue(generator, record.data());
		generator.writeEndObject();
	}

	/**
	 * Format a date as Python's {@code datetime.isoformat()} would for a UTC date, with
	 * milliseconds: {@code 2025-11-24T16:00:00.123+00:00}.
	 * @param date the date, already cut to milliseconds
	 * @return the ISO 8601 text
	 */
	static String formatIso8601(Instant date) {
		LocalDateTime time = LocalDateTime.ofEpochSecond(date.getEpochSecond(), date.getNano(), ZoneOffset.UTC);
		int year = time.getYear();
		if (year < 0 || year > 9999) {
			return ISO_WRITER.format(date);
		}
		char[] chars = new char[29];
		digits(chars, 0, year, 4);
		chars[4] = '-';
		digits(chars, 5, time.getMonthValue(), 2);
		chars[7] = '-';
		digits(chars, 8, time.getDayOfMonth(), 2);
		chars[10] = 'T';
		digits(chars, 11, time.getHour(), 2);
		chars[13] = ':';
		digits(chars, 14, time.getMinute(), 2);
		chars[16] = ':';
		digits(chars, 17, time.getSecond(), 2);
		chars[19] = '.';
		digits(chars, 20, time.getNano() / 1_000_000, 3);
		"+00:00".getChars(0, 6, chars, 23);
		return new String(chars);
	}

	private static void digits(char[] chars, int offset, int value, int width) {
		for (int i = offset + width - 1; i >= offset; i--) {
			chars[i] = (char) ('0' + value % 10);
			value /= 10;
		}
	}

	@Override
	public EventyRecord deserialize(byte[] bytes) {
		if (bytes == null) {
			throw new RecordSerializationException(CANNOT_READ + "no bytes (null)", null);
		}
		JsonNode root = parse(bytes);
		if (!(root instanceof ObjectNode object)) {
			throw new RecordSerializationException(
					CANNOT_READ + "a record is a JSON object, this is " + describe(root) + " at top level", null);
		}
		try {
			return read(object);
		}
		catch (RecordSerializationException ex) {
			throw ex;
		}
		catch (InvalidRecordException ex) {
			throw new RecordSerializationException(cap(CANNOT_READ + String.join("; ", ex.violations())), ex);
		}
		catch (RuntimeException ex) {
			// a safety net: nothing but RecordSerializationException leaves deserialize
			throw new RecordSerializationException(cap(CANNOT_READ + ex), ex);
		}
	}

	private JsonNode parse(byte[] bytes) {
		JsonNode root;
		try {
			root = this.treeReader.readTree(bytes);
		}
		catch (JsonProcessingException ex) {
			JsonLocation location = ex.getLocation();
			String where = (location != null && location.getLineNr() > 0)
					? " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")" : "";
			String message = abbreviate(String.valueOf(ex.getOriginalMessage()), 200);
			// the location part of Jackson's message quotes up to 500 characters of input
			ex.clearLocation();
			throw new RecordSerializationException(CANNOT_READ + "not valid JSON: " + message + where, ex);
		}
		catch (IOException | RuntimeException ex) {
			throw new RecordSerializationException(CANNOT_READ + "not valid JSON: " + abbreviate(ex.toString(), 200),
					ex);
		}
		if (root == null || root.isMissingNode()) {
			throw new RecordSerializationException(CANNOT_READ + "no JSON value (empty input)", null);
		}
		return root;
	}

	private EventyRecord read(ObjectNode root) {
		RecordKind kind = readKind(root);
		String namespace = requiredString(root, "namespace");
		String name = requiredString(root, "name");
		String protocolVersion = requiredString(root, "protocol_version");
		String version = requiredString(root, "version");
		String source = requiredString(root, "source");
		UUID uuid = uuid("uuid", requiredString(root, "uuid"));
		String correlationId = requiredString(root, "correlation_id");
		String partitionKey = optionalString(root, "partition_key");
		Instant date = readDate(root);
		String destination = null;
		UUID requestUuid = null;
		Boolean ok = null;
		Integer errorCode = null;
		String errorMessage = null;
		if (kind == RecordKind.RESPONSE) {
			destination = requiredString(root, "destination");
			requestUuid = uuid("request_uuid", requiredString(root, "request_uuid"));
			ok = readOk(root);
			errorCode = readErrorCode(root);
			errorMessage = optionalString(root, "error_message");
		}
		Map<String, Object> context = readContext(root);
		ObjectNode data = optionalObject(root, "data");
		return new EventyRecord(kind, namespace, name, protocolVersion, version, source, uuid, correlationId,
				partitionKey, date, context, data, destination, requestUuid, ok, errorCode, errorMessage);
	}

	private static RecordKind readKind(ObjectNode root) {
		String type = requiredString(root, "type");
		return switch (type) {
			case "EVENT" -> RecordKind.EVENT;
			case "REQUEST" -> RecordKind.REQUEST;
			case "RESPONSE" -> RecordKind.RESPONSE;
			default -> throw invalid("type", "must be EVENT, REQUEST or RESPONSE, was " + quote(type));
		};
	}

	private static Instant readDate(ObjectNode root) {
		JsonNode iso = root.get("date_iso8601");
		Instant fromIso = null;
		if (iso != null) {
			if (!iso.isTextual()) {
				throw wrongType("date_iso8601", "a string", iso);
			}
			fromIso = parseIso8601(iso.textValue()).truncatedTo(ChronoUnit.MILLIS);
		}
		JsonNode timestamp = root.get("date_timestamp");
		if (timestamp == null) {
			if (fromIso == null) {
				throw invalid("date_timestamp", "is missing, and so is date_iso8601");
			}
			return fromIso;
		}
		if (!timestamp.isNumber()) {
			throw wrongType("date_timestamp", "a number of milliseconds since the epoch", timestamp);
		}
		if (fromIso != null) {
			// as Python eventy: its writer computes the timestamp in floating point
			return fromIso;
		}
		if (timestamp.isIntegralNumber()) {
			if (!timestamp.canConvertToLong()) {
				throw invalid("date_timestamp", "is out of range, was " + quote(timestamp.asText()));
			}
			return Instant.ofEpochMilli(timestamp.longValue());
		}
		double millis = timestamp.doubleValue();
		if (!Double.isFinite(millis) || Math.abs(millis) > 9.2e18) {
			throw invalid("date_timestamp", "is out of range, was " + quote(timestamp.asText()));
		}
		return Instant.ofEpochMilli((long) Math.floor(millis));
	}

	/**
	 * Parse {@code date_iso8601}: an ISO 8601 date and time with an offset, any fraction
	 * of a second up to nanoseconds, {@code T} or a space between date and time.
	 * @param text the text
	 * @return the instant
	 * @throws RecordSerializationException if it is not such a date
	 */
	static Instant parseIso8601(String text) {
		Instant instant = parseCommonIso8601(text);
		if (instant != null) {
			return instant;
		}
		// Python's fromisoformat accepts a space between date and time, as does this
		String value = (text.length() > 10 && text.charAt(10) == ' ') ? text.substring(0, 10) + 'T' + text.substring(11)
				: text;
		try {
			return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
		}
		catch (DateTimeException ex) {
			throw invalid("date_iso8601",
					"must be an ISO 8601 date and time with an offset, such as 2025-11-24T16:00:00.123+00:00, was "
							+ quote(text));
		}
	}

	// The shape Python and this class write, about 20 times faster than
	// DateTimeFormatter;
	// anything else, valid or not, is left to the formatter
	private static @Nullable Instant parseCommonIso8601(String text) {
		int length = text.length();
		if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-'
				|| (text.charAt(10) != 'T' && text.charAt(10) != ' ') || text.charAt(13) != ':'
				|| text.charAt(16) != ':') {
			return null;
		}
		int year = number(text, 0, 4);
		int month = number(text, 5, 2);
		int day = number(text, 8, 2);
		int hour = number(text, 11, 2);
		int minute = number(text, 14, 2);
		int second = number(text, 17, 2);
		if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
			return null;
		}
		int index = 19;
		int nanos = 0;
		if (text.charAt(index) == '.') {
			int start = ++index;
			while (index < length && index - start < 9 && isDigit(text.charAt(index))) {
				nanos = nanos * 10 + (text.charAt(index++) - '0');
			}
			int digits = index - start;
			if (digits == 0 || (index < length && isDigit(text.charAt(index)))) {
				return null;
			}
			for (int i = digits; i < 9; i++) {
				nanos *= 10;
			}
		}
		int offsetSeconds;
		if (index == length - 1 && text.charAt(index) == 'Z') {
			offsetSeconds = 0;
		}
		else if (index == length - 6 && (text.charAt(index) == '+' || text.charAt(index) == '-')
				&& text.charAt(index + 3) == ':') {
			int offsetHours = number(text, index + 1, 2);
			int offsetMinutes = number(text, index + 4, 2);
			if (offsetHours < 0 || offsetHours > 18 || offsetMinutes < 0 || offsetMinutes > 59) {
				return null;
			}
			offsetSeconds = ((text.charAt(index) == '-') ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
		}
		else {
			return null;
		}
		try {
			return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
				.toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
		}
		catch (DateTimeException ex) {
			return null;
		}
	}

	private static int number(String text, int offset, int width) {
		int value = 0;
		for (int i = offset; i < offset + width; i++) {
			char c = text.charAt(i);
			if (!isDigit(c)) {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	private static Boolean readOk(ObjectNode root) {
		JsonNode ok = root.get("ok");
		if (ok == null) {
			// Python eventy's default
			return Boolean.TRUE;
		}
		if (!ok.isBoolean()) {
			throw wrongType("ok", "true or false", ok);
		}
		return ok.booleanValue();
	}

	private static @Nullable Integer readErrorCode(ObjectNode root) {
		JsonNode code = root.get("error_code");
		if (code == null || code.isNull()) {
			return null;
		}
		if (!code.isIntegralNumber()) {
			throw wrongType("error_code", "an integer or null", code);
		}
		if (!code.canConvertToInt()) {
			// Python's integers have no bound; keep the sign and the order of magnitude
			return (code.bigIntegerValue().signum() > 0) ? Integer.MAX_VALUE : Integer.MIN_VALUE;
		}
		return code.intValue();
	}

	private Map<String, Object> readContext(ObjectNode root) {
		ObjectNode context = optionalObject(root, "context");
		if (context.isEmpty()) {
			return Map.of();
		}
		try {
			return this.contextReader.readValue(context);
		}
		catch (IOException ex) {
			throw invalid("context", "cannot be read: " + abbreviate(String.valueOf(ex.getMessage()), 100));
		}
	}

	private static JsonNode required(ObjectNode root, String field) {
		JsonNode node = root.get(field);
		if (node == null) {
			throw invalid(field, "is missing");
		}
		return node;
	}

	private static String requiredString(ObjectNode root, String field) {
		JsonNode node = required(root, field);
		if (!node.isTextual()) {
			throw wrongType(field, "a string", node);
		}
		return node.textValue();
	}

	private static @Nullable String optionalString(ObjectNode root, String field) {
		JsonNode node = root.get(field);
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isTextual()) {
			throw wrongType(field, "a string or null", node);
		}
		return node.textValue();
	}

	private static ObjectNode optionalObject(ObjectNode root, String field) {
		JsonNode node = root.get(field);
		if (node == null || node.isNull()) {
			// Python eventy reads a missing or null context or data as {}
			return JsonNodeFactory.instance.objectNode();
		}
		if (!(node instanceof ObjectNode object)) {
			throw wrongType(field, "a JSON object", node);
		}
		return object;
	}

	private static UUID uuid(String field, String text) {
		if (!isCanonicalUuid(text)) {
			throw invalid(field, "must be a UUID such as 123e4567-e89b-42d3-a456-426614174000, was " + quote(text));
		}
		return UUID.fromString(text);
	}

	// UUID.fromString alone accepts oddities such as "1-2-3-4-5"
	private static boolean isCanonicalUuid(String text) {
		if (text.length() != 36) {
			return false;
		}
		for (int i = 0; i < 36; i++) {
			char c = text.charAt(i);
			boolean ok = (i == 8 || i == 13 || i == 18 || i == 23) ? c == '-'
					: (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
			if (!ok) {
				return false;
			}
		}
		return true;
	}

	private static RecordSerializationException wrongType(String field, String expected, JsonNode actual) {
		return invalid(field, "must be " + expected + ", was " + describe(actual));
	}

	private static RecordSerializationException invalid(String field, String problem) {
		return new RecordSerializationException(CANNOT_READ + field + ": " + problem, null);
	}

	private static String describe(JsonNode node) {
		return switch (node.getNodeType()) {
			case ARRAY -> "an array";
			case OBJECT -> "an object";
			case STRING -> "the string " + quote(node.textValue());
			case NUMBER -> "the number " + abbreviate(node.asText(), MAX_QUOTED);
			case BOOLEAN -> (node.booleanValue() ? "true" : "false");
			case NULL -> "null";
			default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
		};
	}

	private static String quote(String value) {
		return "'" + abbreviate(value, MAX_QUOTED) + "'";
	}

	private static String abbreviate(String value, int max) {
		return (value.length() <= max) ? value : value.substring(0, max) + "...";
	}

	private static String cap(String message) {
		return abbreviate(message, MAX_MESSAGE);
	}

}
