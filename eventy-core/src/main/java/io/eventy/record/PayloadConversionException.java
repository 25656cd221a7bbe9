package io.eventy.record;

/**
 * Thrown when a record's {@code data} does not convert to the requested payload type, for
 * example after the type changed incompatibly.
 */
public class PayloadConversionException extends RuntimeException {

	/**
	 * Create a new exception.
	 * @param message what did not convert into what, and why
	 */
	public PayloadConversionException(String message) {
		super(message);
	}

	/**
	 * Create a new exception.
	 * @param message what did not convert into what
	 * @param cause the underlying failure
	 */
	public PayloadConversionException(String message, Throwable cause) {
		super(message, cause);
	}

}
