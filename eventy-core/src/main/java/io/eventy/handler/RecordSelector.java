package io.eventy.handler;

import java.util.regex.Pattern;

import io.eventy.record.EventyRecord;
import io.eventy.record.RecordTypeDescriptor;
import org.jspecify.annotations.Nullable;

/**
 * Which records a handler takes: those of one record type, or those whose
 * {@code namespace:name} matches a pattern.
 */
final class RecordSelector {

	private final @Nullable RecordTypeDescriptor type;

	private final @Nullable Pattern pattern;

	private RecordSelector(@Nullable RecordTypeDescriptor type, @Nullable Pattern pattern) {
		this.type = type;
		this.pattern = pattern;
	}

	static RecordSelector of(RecordTypeDescriptor type) {
		return new RecordSelector(type, null);
	}

	static RecordSelector of(Pattern pattern) {
		return new RecordSelector(null, pattern);
	}

	/**
	 * Return the record type when records are selected by type.
	 * @return the type, or {@code null} when a pattern selects
	 */
	@Nullable RecordTypeDescriptor type() {
		return this.type;
	}

	boolean accepts(EventyRecord record) {
		RecordTypeDescriptor type = this.type;
		if (type != null) {
			return type.name().equals(record.name()) && type.namespace().equals(record.namespace());
		}
		return accepts(record.qualifiedName());
	}

	boolean accepts(String qualifiedName) {
		RecordTypeDescriptor type = this.type;
		if (type != null) {
			return type.qualifiedName().equals(qualifiedName);
		}
		Pattern pattern = this.pattern;
		return pattern != null && pattern.matcher(qualifiedName).matches();
	}

	@Override
	public String toString() {
		return (this.type != null) ? this.type.qualifiedName() : "~" + this.pattern;
	}

}
