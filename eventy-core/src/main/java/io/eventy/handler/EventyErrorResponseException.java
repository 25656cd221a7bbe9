package io.eventy.handler;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by the {@link EventHandler} of a REQUEST to answer it with an error RESPONSE of
 * its choosing: the response's {@code ok} is {@code false}, its {@code error_code} is
 * {@link #code()} and its {@code error_message} the exception's message.
 *
 * <pre class="code">
 * &#64;EventHandler
 * PaymentCharged charge(ChargePayment request) {
 *     if (declined(request)) {
 *         throw new EventyErrorResponseException(402, "Card declined");
 *     }
 *     ...
 * }
 * </pre>
 *
 * Any other exception a request handler throws is answered with code
 * {@value #INTERNAL_ERROR}, and a request whose data does not fit or fails Bean
 * Validation with {@value #INVALID_REQUEST}. The codes follow HTTP's by convention only;
 * the protocol takes any integer. Thrown by the handler of an event, it is a failure like
 * any other (retried, then a dead letter).
 */
public class EventyErrorResponseException extends RuntimeException {

	/** The error code of a request whose data does not fit its type or is not valid. */
	public static final int INVALID_REQUEST = 400;

	/** The error code of a request whose handler threw any other exception. */
	public static final int INTERNAL_ERROR = 500;

	private final int code;

	/**
	 * Create an exception that answers a request with an error response.
	 * @param code the response's {@code error_code}
	 * @param message the response's {@code error_message}
	 */
	public EventyErrorResponseException(int code, String message) {
		this(code, message, null);
	}

	/**
	 * Create an exception that answers a request with an error response.
	 * @param code the response's {@code error_code}
	 * @param message the response's {@code error_message}
	 * @param cause the underlying failure, logged but not sent, or {@code null}
	 */
	public EventyErrorResponseException(int code, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.code = code;
	}

	/**
	 * Return the error code the response carries.
	 * @return the error code
	 */
	public int code() {
		return this.code;
	}

}
