package io.eventy.context;

import org.jspecify.annotations.Nullable;

/**
 * The bridge used when no tracer is present.
 */
final class NoopTracingBridge implements TracingBridge {

	static final NoopTracingBridge INSTANCE = new NoopTracingBridge();

	private static final SpanScope NOOP_SCOPE = new SpanScope() {

		@Override
		public void error(Throwable error) {
		}

		@Override
		public @Nullable String traceId() {
			return null;
		}

		@Override
		public @Nullable String traceparent() {
			return null;
		}

		@Override
		public void close() {
		}

	};

	private NoopTracingBridge() {
	}

	@Override
	public @Nullable String currentTraceId() {
		return null;
	}

	@Override
	public @Nullable String currentTraceparent() {
		return null;
	}

	@Override
	public SpanScope continueTrace(@Nullable String traceparent, String spanName) {
		return NOOP_SCOPE;
	}

	@Override
	public String toString() {
		return "TracingBridge.noop()";
	}

}
