package io.eventy.request;

import io.eventy.record.EventyRecord;
import org.jspecify.annotations.Nullable;

/**
 * Completes the future of a request whose RESPONSE reports a failure ({@code ok} is
 * {@code false}): its {@code error_code} and {@code error_message}, and the response.
 */
public class ErrorResponseException extends RuntimeException {

	private final @Nullable Integer errorCode;

	private final @Nullable String errorMessage;

	private final EventyRecord response;

	/**
	 * Create a new exception.
	 * @param response the error response
	 */
	public ErrorResponseException(EventyRecord response) {
		super("Request " + response.requestUuid() + " failed with error response " + response.qualifiedName() + " from "
				+ response.source() + ": error_code " + response.errorCode() + ", error_message "
				+ response.errorMessage());
		this.errorCode = response.errorCode();
		this.errorMessage = response.errorMessage();
		this.response = response;
	}

	/**
	 * Return the response's {@code error_code}.
	 * @return the error code, or {@code null} when the response has none
	 */
	public @Nullable Integer errorCode() {
		return this.errorCode;
	}

	/**
	 * Return the response's {@code error_message}.
	 * @return the error message, or {@code null} when the response has none
	 */
	public @Nullable String errorMessage() {
		return this.errorMessage;
	}

	/**
	 * Return the error response.
	 * @return the response
	 */
	public EventyRecord response() {
		return this.response;
	}

}
