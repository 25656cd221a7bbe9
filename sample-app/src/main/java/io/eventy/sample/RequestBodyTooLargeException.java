package io.eventy.sample;

import java.io.IOException;

/**
 * Thrown when a request body is larger than {@code sample.http.max-body-size}: by its
 * declared {@code Content-Length} before a byte is read, or once more bytes than the
 * limit arrived. An {@link IOException}, as any failure to read a body is, so whatever
 * reads the body (a message converter, Jackson) fails as it would on a broken connection;
 * {@link ApiExceptionHandler} finds it among the causes and answers 413.
 */
class RequestBodyTooLargeException extends IOException {

	private final long maxBytes;

	RequestBodyTooLargeException(long maxBytes) {
		super("The request body is larger than " + maxBytes + " bytes");
		this.maxBytes = maxBytes;
	}

	/**
	 * Return the limit.
	 * @return the largest body accepted, in bytes
	 */
	long maxBytes() {
		return this.maxBytes;
	}

}
