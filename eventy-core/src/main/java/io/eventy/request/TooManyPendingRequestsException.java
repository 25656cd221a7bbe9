package io.eventy.request;

/**
 * Thrown when a request is sent while as many requests as allowed
 * ({@code eventy.requests.max-pending}) await their responses: nothing is sent.
 */
public class TooManyPendingRequestsException extends IllegalStateException {

	/**
	 * Create a new exception.
	 * @param maxPending the most requests that may await their responses
	 */
	public TooManyPendingRequestsException(int maxPending) {
		super(maxPending + " requests already await their responses, the most allowed (eventy.requests.max-pending); "
				+ "nothing was sent");
	}

}
