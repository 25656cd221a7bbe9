package io.eventy.autoconfigure.web;

import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.context.EventyContextThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Sends the Eventy context's request id and trace id (as the correlation id) with the
 * requests of a {@code WebClient}, as {@link EventyContextClientHttpRequestInterceptor}
 * does for {@code RestClient} and {@code RestTemplate}: headers the caller set are left
 * alone, and nothing is added outside any context.
 * <p>
 * A {@code WebClient} sends its request when the returned publisher is subscribed, which
 * may happen later and on another thread than the one that built the request. The context
 * sent is the first of:
 * <ol>
 * <li>the one in the Reactor context under {@link EventyContextThreadLocalAccessor#KEY},
 * put there by {@code contextCapture()}, by Reactor's automatic context propagation or by
 * {@code contextWrite};</li>
 * <li>the one current on the thread that subscribes;</li>
 * <li>the one that was current on the thread that built the request, kept as a request
 * attribute by {@link #captureContext(WebClient.RequestHeadersSpec)}, which runs as the
 * client's default request.</li>
 * </ol>
 */
final class EventyContextExchangeFilterFunction implements ExchangeFilterFunction {

	/**
	 * The request attribute that holds the context current when the request was built.
	 */
	static final String CONTEXT_ATTRIBUTE = EventyContextExchangeFilterFunction.class.getName() + ".context";

	private final EventyContextHeaders headers;

	EventyContextExchangeFilterFunction(String requestIdHeader, String correlationIdHeader) {
		this.headers = new EventyContextHeaders(requestIdHeader, correlationIdHeader);
	}

	/**
	 * Keep the context current on this thread with the request being built; the client
	 * calls this for each request when it is registered as its default request.
	 * @param request the request being built
	 */
	void captureContext(WebClient.RequestHeadersSpec<?> request) {
		EventyContext context = EventyContextHolder.current();
		if (context != null) {
			request.attribute(CONTEXT_ATTRIBUTE, context);
		}
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		// called when the exchange is subscribed, on the subscribing thread
		EventyContext subscribing = EventyContextHolder.current();
		return Mono.deferContextual((view) -> {
			EventyContext context = contextOf(view, subscribing, request);
			return next.exchange((context != null) ? withIds(request, context) : request);
		});
	}

	private static @Nullable EventyContext contextOf(ContextView view, @Nullable EventyContext subscribing,
			ClientRequest request) {
		// the key is a constant: reading it needs no context-propagation library
		Object propagated = view.getOrDefault(EventyContextThreadLocalAccessor.KEY, null);
		if (propagated instanceof EventyContext context) {
			return context;
		}
		if (subscribing != null) {
			return subscribing;
		}
		Object captured = request.attribute(CONTEXT_ATTRIBUTE).orElse(null);
		return (captured instanceof EventyContext context) ? context : null;
	}

	private ClientRequest withIds(ClientRequest request, EventyContext context) {
		return ClientRequest.from(request).headers((headers) -> this.headers.addMissing(headers, context)).build();
	}

}
