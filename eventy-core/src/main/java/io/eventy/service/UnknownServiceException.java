package io.eventy.service;

/**
 * Thrown when a request is sent in a namespace that no known service owns, so that there
 * is no service to send it to. The message names the property that declares the service.
 */
public class UnknownServiceException extends IllegalStateException {

	/**
	 * Create a new exception.
	 * @param message what has no owner and how to declare it
	 */
	public UnknownServiceException(String message) {
		super(message);
	}

}
