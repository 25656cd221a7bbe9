package io.eventy.context;

import java.util.Objects;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TracingBridge} over a Micrometer Tracing {@link Tracer} (Brave or
 * OpenTelemetry underneath).
 * <p>
 * Trace parents are read and written in the W3C format by Eventy itself, so records keep
 * a {@code traceparent} whatever propagation format (W3C or B3) the application's HTTP
 * calls use. Handler spans are of kind {@link Span.Kind#CONSUMER}.
 */
public final class MicrometerTracingBridge implements TracingBridge {

	private final Tracer tracer;

	/**
	 * Create a bridge over a tracer.
	 * @param tracer the tracer
	 */
	public MicrometerTracingBridge(Tracer tracer) {
		this.tracer = Objects.requireNonNull(tracer, "tracer must not be null");
	}

	@Override
	public @Nullable String currentTraceId() {
		Span span = this.tracer.currentSpan();
		return (span != null) ? EventyIds.validOrNull(span.context().traceId()) : null;
	}

	@Override
	public @Nullable String currentTraceparent() {
		Span span = this.tracer.currentSpan();
		return (span != null) ? traceparent(span.context()) : null;
	}

	@Override
	public SpanScope continueTrace(@Nullable String traceparent, String spanName) {
		Span.Builder builder = this.tracer.spanBuilder().name(spanName).kind(Span.Kind.CONSUMER);
		Traceparent parent = Traceparent.parse(traceparent);
		if (parent != null) {
			builder.setParent(this.tracer.traceContextBuilder()
				.traceId(parent.traceId())
				.spanId(parent.spanId())
				.sampled(parent.sampled())
				.build());
		}
		else {
			builder.setNoParent();
		}
		Span span;
		// with no current span while it starts, the span is a root whatever the bridge
		// (Brave's builder ignores setNoParent when a span is current)
		try (Tracer.SpanInScope cleared = this.tracer.withSpan(null)) {
			span = builder.start();
		}
		return new MicrometerSpanScope(span, this.tracer.withSpan(span));
	}

	private static @Nullable String traceparent(TraceContext context) {
		String traceId = context.traceId();
		String spanId = context.spanId();
		if (traceId == null || spanId == null) {
			return null;
		}
		if (traceId.length() == 16) {
			// 64-bit trace ids (older Brave setups) are left-padded in W3C
			traceId = "0000000000000000" + traceId;
		}
		try {
			return new Traceparent(traceId, spanId, Boolean.TRUE.equals(context.sampled())).toString();
		}
		catch (IllegalArgumentException ex) {
			// a no-op tracer's empty ids, or an exotic id format: no trace parent to keep
			return null;
		}
	}

	@Override
	public String toString() {
		return "MicrometerTracingBridge[" + this.tracer + "]";
	}

	private static final class MicrometerSpanScope implements SpanScope {

		private final Span span;

		private final Tracer.SpanInScope inScope;

		private boolean closed;

		MicrometerSpanScope(Span span, Tracer.SpanInScope inScope) {
			this.span = span;
			this.inScope = inScope;
		}

		@Override
		public void error(Throwable error) {
			this.span.error(error);
		}

		@Override
		public @Nullable String traceId() {
			return EventyIds.validOrNull(this.span.context().traceId());
		}

		@Override
		public @Nullable String traceparent() {
			return MicrometerTracingBridge.traceparent(this.span.context());
		}

		@Override
		public void close() {
			if (this.closed) {
				return;
			}
			this.closed = true;
			try {
				this.inScope.close();
			}
			finally {
				this.span.end();
			}
		}

	}

}
