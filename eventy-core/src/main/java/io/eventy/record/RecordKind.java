package io.eventy.record;

/**
 * The three kinds of records of the Eventy protocol, written as the {@code type} field.
 */
public enum RecordKind {

	/** Something that happened; the common case. */
	EVENT,

	/** A request addressed to another service, answered by a {@link #RESPONSE}. */
	REQUEST,

	/** The answer to a {@link #REQUEST}; carries {@code ok} and, on failure, an error. */
	RESPONSE

}
