package io.eventy.autoconfigure.metrics;

import io.eventy.request.DefaultRequestClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The meters of the {@link DefaultRequestClient}: {@value #PENDING}, the requests that
 * await their responses, and {@value #RESPONSES}, the responses that completed no future,
 * by {@code outcome}: {@code late} (after the request's timeout) or {@code unmatched} (to
 * a request this instance did not send).
 */
public final class RequestClientMeters {

	/** The gauge of pending requests. */
	public static final String PENDING = "eventy.requests.pending";

	/** The counter of responses that completed no future. */
	public static final String RESPONSES = "eventy.requests.unawaited.responses";

	/**
	 * Bind the meters of a client.
	 * @param client the client
	 * @param registry where to register the meters
	 */
	public RequestClientMeters(DefaultRequestClient client, MeterRegistry registry) {
		Gauge.builder(PENDING, client, DefaultRequestClient::pendingRequests)
			.description("Requests that await their responses")
			.register(registry);
		FunctionCounter.builder(RESPONSES, client, DefaultRequestClient::lateResponses)
			.description("Responses that came after their request's timeout, or to requests another instance sent")
			.tag("outcome", "late")
			.register(registry);
		FunctionCounter.builder(RESPONSES, client, DefaultRequestClient::unmatchedResponses)
			.description("Responses that came after their request's timeout, or to requests another instance sent")
			.tag("outcome", "unmatched")
			.register(registry);
	}

}
