package io.eventy.record;

/**
 * Thrown when a record is asked for by a name, or for a class, that no registered
 * {@link RecordType} matches.
 */
public class UnknownRecordTypeException extends IllegalArgumentException {

	/**
	 * Create a new exception.
	 * @param message what was looked up and what to do about it
	 */
	public UnknownRecordTypeException(String message) {
		super(message);
	}

}
