package io.eventy.autoconfigure.web;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;

import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.context.EventyIds;
import io.eventy.context.TracingBridge;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Servlet filter that runs each request inside an {@link EventyContext}: MDC holds the
 * trace and request ids while the request runs, records written meanwhile carry them, and
 * the response carries the request id header.
 * <p>
 * The request id comes from the request id header, else is a new UUID. The trace id is
 * the current span's when a tracer knows one (Spring Boot's observation filter runs
 * earlier, so {@code traceparent} or B3 headers are honoured), else the correlation id
 * header's, else a new 32-hex id. A header value that is not a valid id
 * ({@link EventyIds#isValid(String)}) is ignored, never reflected. Async and error
 * dispatches of the same request keep its ids.
 */
public final class EventyRequestContextFilter extends OncePerRequestFilter {

	/** The request attribute that holds the request's {@link EventyContext}. */
	public static final String CONTEXT_ATTRIBUTE = EventyRequestContextFilter.class.getName() + ".CONTEXT";

	private final String requestIdHeader;

	private final String correlationIdHeader;

	private final TracingBridge tracing;

	/**
	 * Create a filter.
	 * @param requestIdHeader the header that carries the request id, in and out
	 * @param correlationIdHeader the header that carries the trace id when no tracer
	 * knows one
	 * @param tracing the tracing bridge, {@link TracingBridge#noop()} without a tracer
	 */
	public EventyRequestContextFilter(String requestIdHeader, String correlationIdHeader, TracingBridge tracing) {
		this.requestIdHeader = Objects.requireNonNull(requestIdHeader, "requestIdHeader must not be null");
		this.correlationIdHeader = Objects.requireNonNull(correlationIdHeader, "correlationIdHeader must not be null");
		this.tracing = Objects.requireNonNull(tracing, "tracing must not be null");
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain filterChain)
			throws ServletException, IOException {
		EventyContext context = contextOf(request);
		if (!response.isCommitted()) {
			response.setHeader(this.requestIdHeader, context.requestId());
		}
		try (EventyContextHolder.Scope scope = EventyContextHolder.open(context)) {
			filterChain.doFilter(request, response);
		}
	}

	private EventyContext contextOf(HttpServletRequest request) {
		if (request.getAttribute(CONTEXT_ATTRIBUTE) instanceof EventyContext existing) {
			return existing;
		}
		String requestId = EventyIds.validOrNewRequestId(request.getHeader(this.requestIdHeader));
		String traceId = this.tracing.currentTraceId();
		String traceparent = null;
		if (traceId != null) {
			traceparent = this.tracing.currentTraceparent();
		}
		else {
			traceId = EventyIds.validOrNewTraceId(request.getHeader(this.correlationIdHeader));
		}
		EventyContext context = new EventyContext(traceId, requestId, null, traceparent, Map.of());
		request.setAttribute(CONTEXT_ATTRIBUTE, context);
		return context;
	}

}
