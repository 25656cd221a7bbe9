package io.eventy.record;

import java.util.List;

/**
 * Thrown when a payload or an envelope is invalid: nothing was stored or sent.
 * {@link #violations()} names each problem, as {@code path: message}.
 */
public class InvalidRecordException extends IllegalArgumentException {

	private final List<String> violations;

	/**
	 * Create a new exception.
	 * @param recordName the qualified name (or class name) of the record at fault
	 * @param violations each violation, as {@code path: message}
	 */
	public InvalidRecordException(String recordName, List<String> violations) {
		super("Invalid record " + recordName + ": " + String.join("; ", violations));
		this.violations = List.copyOf(violations);
	}

	/**
	 * Return every violation, as {@code path: message}.
	 * @return the violations, never empty
	 */
	public List<String> violations() {
		return this.violations;
	}

}
