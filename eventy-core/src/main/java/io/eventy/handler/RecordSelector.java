package io.eventy.handler;

import java.util.List;
import java.util.regex.Pattern;

import io.eventy.record.EventyRecord;
import io.eventy.record.RecordTypeDescriptor;
import org.jspecify.annotations.Nullable;

/**
 * Which records a handler takes: those of one record type (and of the names upcasters
 * rename into it), or those whose {@code namespace:name} matches a pattern.
 */
final class RecordSelector {

	private final @Nullable RecordTypeDescriptor type;

	/** The qualified names a type selects: its own, then its former names. */
	private final List<String> names;

	private final @Nullable Pattern pattern;

	private RecordSelector(@Nullable RecordTypeDescriptor type, List<String> names, @Nullable Pattern pattern) {
		this.type = type;
		this.names = names;
		this.pattern = pattern;
	}

	static RecordSelector of(RecordTypeDescriptor type) {
		return of(type, List.of(type.qualifiedName()));
	}

	/**
	 * Select the records of a type and of its former names.
	 * @param type the record type
	 * @param names its qualified name first, then the names upcasters rename into it
	 * @return the selector
	 */
	static RecordSelector of(RecordTypeDescriptor type, List<String> names) {
		if (names.isEmpty() || !names.get(0).equals(type.qualifiedName())) {
			throw new IllegalArgumentException(
					"The names of " + type.qualifiedName() + " must start with it: " + names);
		}
		return new RecordSelector(type, List.copyOf(names), null);
	}

	static RecordSelector of(Pattern pattern) {
		return new RecordSelector(null, List.of(), pattern);
	}

	/**
	 * Return the qualified names of the records selected by type.
	 * @return the type's name, then its former names; empty when a pattern selects
	 */
	List<String> names() {
		return this.names;
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
		if (type != null && type.name().equals(record.name()) && type.namespace().equals(record.namespace())) {
			return true;
		}
		return (type == null || this.names.size() > 1) && accepts(record.qualifiedName());
	}

	boolean accepts(String qualifiedName) {
		RecordTypeDescriptor type = this.type;
		if (type != null) {
			return this.names.contains(qualifiedName);
		}
		Pattern pattern = this.pattern;
		return pattern != null && pattern.matcher(qualifiedName).matches();
	}

	@Override
	public String toString() {
		return (this.type != null) ? String.join("|", this.names) : "~" + this.pattern;
	}

}
