package io.eventy.serializer;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when bytes are not a valid Eventy record (malformed JSON, a missing or mistyped
 * field, an envelope that breaks a protocol rule) or a record cannot be written.
 */
public class RecordSerializationException extends RuntimeException {

	/**
	 * Create a new exception.
	 * @param message what is wrong
	 * @param cause the underlying failure, or {@code null}
	 */
	public RecordSerializationException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
