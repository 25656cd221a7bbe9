package io.eventy.record;

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

	private static final int MAX_QUOTED = 48;

	private RecordRules() {
	}

	static boolean isSemVer(@Nullable String value) {
		return value != null && SEMVER.matcher(value).matches();
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
