package io.eventy.context;

import org.jspecify.annotations.Nullable;

/**
 * What Eventy needs from a tracer: the current trace id and W3C {@code traceparent} (to
 * stamp records and contexts) and a span that continues a stored trace (around each
 * handler call).
 * <p>
 * {@link MicrometerTracingBridge} adapts Micrometer Tracing; {@link #noop()} serves when
 * no tracer is present. Implementations are thread-safe.
 */
public interface TracingBridge {

	/**
	 * Return the trace id of the current span.
	 * @return the trace id (a valid Eventy id), or {@code null} when no span is current
	 */
	@Nullable String currentTraceId();

	/**
	 * Return the current span as a W3C {@code traceparent} value
	 * ({@code 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>}).
	 * @return the trace parent, or {@code null} when no span is current
	 */
	@Nullable String currentTraceparent();

	/**
	 * Start a span and make it current until the returned scope is closed. The span is a
	 * child of the given W3C {@code traceparent} when it is well formed, else the root of
	 * a new trace. Closing the scope ends the span and restores what was current before.
	 * @param traceparent the W3C trace parent to continue, or {@code null}
	 * @param spanName the span's name, such as the subscription name
	 * @return the span's scope; never {@code null}
	 */
	SpanScope continueTrace(@Nullable String traceparent, String spanName);

	/**
	 * Return a bridge that knows no trace and starts no span.
	 * @return the no-op bridge
	 */
	static TracingBridge noop() {
		return NoopTracingBridge.INSTANCE;
	}

	/**
	 * The scope of a span started by {@link #continueTrace(String, String)}.
	 */
	interface SpanScope extends EventyContextHolder.Scope {

		/**
		 * Record that the work inside the span failed.
		 * @param error the failure
		 */
		void error(Throwable error);

		/**
		 * Return the trace id of the span.
		 * @return the trace id, or {@code null} when no span was started
		 */
		@Nullable String traceId();

		/**
		 * Return the span as a W3C {@code traceparent} value.
		 * @return the trace parent, or {@code null} when no span was started
		 */
		@Nullable String traceparent();

	}

}
