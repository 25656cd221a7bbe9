package io.eventy.autoconfigure.web;

import io.eventy.context.EventyContext;

import org.springframework.http.HttpHeaders;

/**
 * The headers that carry a context to the next service, the same for every HTTP client:
 * the trace id as the correlation id (which Python eventy services read) and the request
 * id. A header the caller set itself is never replaced.
 *
 * @param requestIdHeader the name of the request id header
 * @param correlationIdHeader the name of the correlation id header
 */
record EventyContextHeaders(String requestIdHeader, String correlationIdHeader) {

	/**
	 * Add the context's ids to headers that do not carry them yet.
	 * @param headers the outgoing request's headers
	 * @param context the context to send
	 */
	void addMissing(HttpHeaders headers, EventyContext context) {
		if (!headers.containsHeader(this.correlationIdHeader)) {
			headers.set(this.correlationIdHeader, context.traceId());
		}
		String requestId = context.requestId();
		if (requestId != null && !headers.containsHeader(this.requestIdHeader)) {
			headers.set(this.requestIdHeader, requestId);
		}
	}

}
