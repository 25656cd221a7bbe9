package io.eventy.test;

import java.util.List;

import io.eventy.record.EventyRecord;
import io.eventy.record.RecordType;
import io.eventy.store.StoredRecord;
import org.jspecify.annotations.Nullable;

/**
 * How the assertions name record types and show records in their messages.
 */
final class RecordDescriptions {

	private RecordDescriptions() {
	}

	/**
	 * Return whether a record is of a payload class: same name, and same namespace when
	 * the class's {@link RecordType} declares one (else the service's, which any
	 * matches).
	 */
	static boolean isOf(StoredRecord record, Class<?> payloadType) {
		EventyRecord envelope = record.record();
		@Nullable String namespace = namespaceOf(payloadType);
		return envelope.name().equals(nameOf(payloadType))
				&& (namespace == null || envelope.namespace().equals(namespace));
	}

	static String typeOf(Class<?> payloadType) {
		@Nullable String namespace = namespaceOf(payloadType);
		return ((namespace != null) ? namespace + ":" : "") + nameOf(payloadType) + " (" + payloadType.getName() + ")";
	}

	static String describe(List<StoredRecord> records) {
		if (records.isEmpty()) {
			return "  (no record)";
		}
		StringBuilder text = new StringBuilder();
		for (StoredRecord record : records) {
			if (!text.isEmpty()) {
				text.append('\n');
			}
			text.append("  - ").append(describe(record));
		}
		return text.toString();
	}

	static String describe(StoredRecord record) {
		EventyRecord envelope = record.record();
		return envelope.qualifiedName() + " " + envelope.version() + " at position " + record.position()
				+ ((record.stream() != null) ? " in stream " + record.stream() + " v" + record.streamVersion() : "")
				+ ", correlation id " + envelope.correlationId() + ", request id " + record.requestId() + ", data "
				+ envelope.data();
	}

	private static String nameOf(Class<?> payloadType) {
		RecordType annotation = payloadType.getAnnotation(RecordType.class);
		return (annotation != null && !annotation.name().isEmpty()) ? annotation.name() : payloadType.getSimpleName();
	}

	private static @Nullable String namespaceOf(Class<?> payloadType) {
		RecordType annotation = payloadType.getAnnotation(RecordType.class);
		return (annotation != null && !annotation.namespace().isEmpty()) ? annotation.namespace() : null;
	}

}
