package io.eventy.request;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * Completes the future of a request whose response did not come within its timeout. The
 * request stays stored; a response that comes later is logged and counted, and can still
 * be handled by an {@code @EventHandler} of its type.
 */
public class RequestTimeoutException extends TimeoutException {

	private final UUID requestUuid;

	/**
	 * Create a new exception.
	 * @param requestUuid the uuid of the request
	 * @param requestName the qualified name of the request
	 * @param timeout the timeout that passed
	 */
	public RequestTimeoutException(UUID requestUuid, String requestName, Duration timeout) {
		super("No response to request " + requestName + " " + requestUuid + " within " + timeout);
		this.requestUuid = requestUuid;
	}

	/**
	 * Return the uuid of the request.
	 * @return the request uuid
	 */
	public UUID requestUuid() {
		return this.requestUuid;
	}

}
