package io.eventy.record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * The envelope rules of the Eventy protocol, checked once when a record is built.
 */
final class RecordRules {

	private static final Pattern SEMVER = Pattern.compile(
			"(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");

	// SemVer 2.0.0 exactly: numeric pre-release identifiers have no leading zero
	private static final Pattern STRICT_SEMVER = Pattern.compile("(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
			+ "(-(0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)(\\.(0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*))*)?"
			+ "(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");

	/** The earliest date Python's {@code datetime} represents. */
	private static final Instant MIN_DATE = Instant.parse("0001-01-01T00:00:00Z");

	/** The latest date Python's {@code datetime} represents, to the millisecond. */
	private static final Instant MAX_DATE = Instant.parse("9999-12-31T23:59:59.999Z");

	private static final int MAX_QUOTED = 48;

	private RecordRules() {
	}

	static boolean isSemVer(@Nullable String value) {
		return value != null && (isPlainVersion(value) || SEMVER.matcher(value).matches());
	}

	/**
	 * Return whether a version is three numbers without leading zeros, such as
	 * {@code 1.0.0}: SemVer without the pattern, for the versions nearly every record
	 * has.
	 * @param value the version
	 * @return {@code true} if it is; {@code false} leaves it to the pattern
	 */
	private static boolean isPlainVersion(String value) {
		int length = value.length();
		int numbers = 0;
		int i = 0;
		while (true) {
			int start = i;
			while (i < length && value.charAt(i) >= '0' && value.charAt(i) <= '9') {
				i++;
			}
			if (i == start || (value.charAt(start) == '0' && i - start > 1)) {
				return false;
			}
			numbers++;
			if (i == length) {
				return numbers == 3;
			}
			if (numbers == 3 || value.charAt(i) != '.') {
				return false;
			}
			i++;
		}
	}

	/**
	 * Return whether a version is SemVer 2.0.0 exactly, as Python eventy checks it: no
	 * leading zero in a numeric pre-release identifier ({@code 1.0.0-01} is not).
	 * @param value the version
	 * @return whether it is strict SemVer
	 */
	static boolean isStrictSemVer(@Nullable String value) {
		return value != null && (isPlainVersion(value) || STRICT_SEMVER.matcher(value).matches());
	}

	/**
	 * Check what only a record being written must respect, so that Python eventy 3.x
	 * accepts it, while records read from a store keep the lenient rules of
	 * {@link #checkEnvelope}: versions are strict SemVer 2.0.0, a destination uses
	 * {@code :} as its only separator (Python eventy refuses a {@code .} in it), and the
	 * date lies in the years 1 to 9999.
	 * @param record the record to write
	 * @throws InvalidRecordException naming each violation
	 */
	static void checkWritable(EventyRecord record) {
		List<String> violations = new ArrayList<>(1);
		if (!isStrictSemVer(record.protocolVersion())) {
			violations.add("protocol_version: must be SemVer 2.0.0 (no leading zero in a numeric pre-release "
					+ "identifier), was " + quote(record.protocolVersion()));
		}
		if (!isStrictSemVer(record.version())) {
			violations.add("version: must be SemVer 2.0.0 (no leading zero in a numeric pre-release identifier), was "
					+ quote(record.version()));
		}
		if (record.destination() != null && record.destination().indexOf('.') >= 0) {
			violations
				.add("destination: must use ':' as its only separator, never '.', was " + quote(record.destination()));
		}
		if (record.date().isBefore(MIN_DATE) || record.date().isAfter(MAX_DATE)) {
			violations.add("date: must lie in the years 1 to 9999, was " + record.date());
		}
		if (!violations.isEmpty()) {
			throw new InvalidRecordException(abbreviate(record.qualifiedName()), violations);
		}
	}

	static boolean isUrn(@Nullable String value) {
		return value != null && value.length() > 4 && value.startsWith("urn:") && value.strip().equals(value);
	}

	static void checkEnvelope(RecordKind kind, @Nullable String namespace, @Nullable String name,
			@Nullable String protocolVersion, @Nullable String version, @Nullable String source,
			@Nullable String correlationId, @Nullable String destination, @Nullable UUID requestUuid,
			@Nullable Boolean ok, @Nullable Integer errorCode, @Nullable String errorMessage,
			Map<String, Object> context) {
		List<String> violations = new ArrayList<>(2);
		if (!isUrn(namespace)) {
			violations.add("namespace: must be a URN starting with 'urn:', was " + quote(namespace));
		}
		if (name == null || name.isBlank()) {
			violations.add("name: must not be blank");
		}
		if (!isSemVer(protocolVersion)) {
			violations.add("protocol_version: must be SemVer (1.2.3), was " + quote(protocolVersion));
		}
		if (!isSemVer(version)) {
			violations.add("version: must be SemVer (1.2.3), was " + quote(version));
		}
		if (!isUrn(source)) {
			violations.add("source: must be a URN starting with 'urn:', was " + quote(source));
		}
		if (correlationId == null || correlationId.isBlank()) {
			violations.add("correlation_id: must not be blank");
		}
		for (Map.Entry<?, ?> entry : context.entrySet()) {
			if (!(entry.getKey() instanceof String key)) {
				violations.add("context: keys must be strings, found " + abbreviate(String.valueOf(entry.getKey())));
			}
			else if (!isJsonObject(entry.getValue())) {
				// Python eventy refuses a context whose values are not dicts
				violations.add("context." + abbreviate(key) + ": must be a JSON object (a Map), was "
						+ ((entry.getValue() != null) ? entry.getValue().getClass().getSimpleName() : "null"));
			}
		}
		if (kind == RecordKind.RESPONSE) {
			if (!isUrn(destination)) {
				violations
					.add("destination: a response needs the URN of the requesting service, was " + quote(destination));
			}
			if (requestUuid == null) {
				violations.add("request_uuid: a response needs the uuid of its request");
			}
			if (ok == null) {
				violations.add("ok: a response must say whether it succeeded");
			}
		}
		else if (destination != null || requestUuid != null || ok != null || errorCode != null
				|| errorMessage != null) {
			violations
				.add("destination, request_uuid, ok, error_code, error_message: only a RESPONSE has them, this is a "
						+ kind);
		}
		if (!violations.isEmpty()) {
			throw new InvalidRecordException(abbreviate(namespace + ":" + name), violations);
		}
	}

	private static boolean isJsonObject(@Nullable Object value) {
		return value instanceof Map || value instanceof ObjectNode;
	}

	private static String quote(@Nullable String value) {
		return (value != null) ? "'" + abbreviate(value) + "'" : "null";
	}

	/**
	 * Cut a value taken from input so that no message repeats much of it.
	 * @param value the value
	 * @return the value, or its first {@value #MAX_QUOTED} characters and an ellipsis
	 */
	static String abbreviate(String value) {
		return (value.length() <= MAX_QUOTED) ? value : value.substring(0, MAX_QUOTED) + "...";
	}

}
