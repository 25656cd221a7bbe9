package io.eventy.autoconfigure.web;

import java.io.IOException;

import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Sends the current context's request id and trace id (as the correlation id, which
 * Python eventy services read) with outgoing requests. Headers the caller set itself are
 * left alone; outside any context nothing is added.
 */
final class EventyContextClientHttpRequestInterceptor implements ClientHttpRequestInterceptor {

	private final EventyContextHeaders headers;

	EventyContextClientHttpRequestInterceptor(String requestIdHeader, String correlationIdHeader) {
		this.headers = new EventyContextHeaders(requestIdHeader, correlationIdHeader);
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		EventyContext context = EventyContextHolder.current();
		if (context != null) {
			this.headers.addMissing(request.getHeaders(), context);
		}
		return execution.execute(request, body);
	}

}
