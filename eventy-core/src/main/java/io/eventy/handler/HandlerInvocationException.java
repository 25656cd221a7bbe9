package io.eventy.handler;

/**
 * Thrown when an {@link EventHandler} method throws a checked exception (runtime
 * exceptions pass through unchanged). The message names the handler and the record.
 */
public class HandlerInvocationException extends RuntimeException {

	/**
	 * Create a new exception.
	 * @param message the handler and the record
	 * @param cause what the handler threw
	 */
	public HandlerInvocationException(String message, Throwable cause) {
		super(message, cause);
	}

}
