package io.eventy.record;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The envelope rules of the Eventy protocol, checked once when a record is built.
 */
final class RecordRules {

	private static final Pattern SEMVER = Pattern.compile(
			"(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");

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
			@Nullable Boolean ok, Map<String, Object> context) {
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
		for (Object key : context.keySet()) {
			if (!(key instanceof String)) {
				violations.add("context: keys must be strings, found " + key);
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
		else if (destination != null || requestUuid != null || ok != null) {
			violations.add("destination, request_uuid, ok: only a RESPONSE has them, this is a " + kind);
		}
		if (!violations.isEmpty()) {
			throw new InvalidRecordException(namespace + ":" + name, violations);
		}
	}

	private static String quote(@Nullable String value) {
		return (value != null) ? "'" + value + "'" : "null";
	}

}
