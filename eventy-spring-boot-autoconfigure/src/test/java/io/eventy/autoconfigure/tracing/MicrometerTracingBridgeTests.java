package io.eventy.autoconfigure.tracing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.sampler.Sampler;
import io.eventy.context.MicrometerTracingBridge;
import io.eventy.context.TracingBridge;
import io.eventy.context.Traceparent;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MicrometerTracingBridge} over a real Brave tracer.
 */
class MicrometerTracingBridgeTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

	private final List<MutableSpan> finished = new CopyOnWriteArrayList<>();

	private final Tracing tracing = Tracing.newBuilder()
		.currentTraceContext(ThreadLocalCurrentTraceContext.create())
		.traceId128Bit(true)
		.sampler(Sampler.ALWAYS_SAMPLE)
		.addSpanHandler(new SpanHandler() {

			@Override
			public boolean end(brave.propagation.TraceContext context, MutableSpan span, Cause cause) {
				MicrometerTracingBridgeTests.this.finished.add(span);
				return true;
			}

		})
		.build();

	private final Tracer tracer = new BraveTracer(this.tracing.tracer(),
			new BraveCurrentTraceContext(this.tracing.currentTraceContext()));

	private final TracingBridge bridge = new MicrometerTracingBridge(this.tracer);

	@AfterEach
	void close() {
		this.tracing.close();
	}

	@Test
	void knowsNoTraceWithoutACurrentSpan() {
		assertThat(this.bridge.currentTraceId()).isNull();
		assertThat(this.bridge.currentTraceparent()).isNull();
	}

	@Test
	void readsTheTraceIdAndTraceparentOfTheCurrentSpan() {
		Span span = this.tracer.nextSpan().name("request").start();
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			assertThat(this.bridge.currentTraceId()).isEqualTo(span.context().traceId()).matches("[0-9a-f]{32}");
			assertThat(this.bridge.currentTraceparent())
				.isEqualTo("00-" + span.context().traceId() + "-" + span.context().spanId() + "-01");
		}
		finally {
			span.end();
		}
	}

	@Test
	void continuesTheTraceOfATraceparentInAChildSpan() {
		try (TracingBridge.SpanScope scope = this.bridge.continueTrace(TRACEPARENT, "billing.onOrderPlaced")) {
			assertThat(this.bridge.currentTraceId()).isEqualTo(TRACE_ID);
			assertThat(scope.traceId()).isEqualTo(TRACE_ID);
			Traceparent current = Traceparent.parse(scope.traceparent());
			assertThat(current.traceId()).isEqualTo(TRACE_ID);
			assertThat(current.spanId()).isNotEqualTo("00f067aa0ba902b7");
			assertThat(this.bridge.currentTraceparent()).isEqualTo(scope.traceparent());
		}
		assertThat(this.tracer.currentSpan()).isNull();
		assertThat(this.finished).singleElement().satisfies((span) -> {
			assertThat(span.traceId()).isEqualTo(TRACE_ID);
			assertThat(span.parentId()).isEqualTo("00f067aa0ba902b7");
			assertThat(span.name()).isEqualTo("billing.onOrderPlaced");
			assertThat(span.kind()).isEqualTo(brave.Span.Kind.CONSUMER);
		});
	}

	@Test
	void startsANewRootTraceWithoutAUsableTraceparent() {
		for (String traceparent : new String[] { null, "", "garbage",
				"00-" + "0".repeat(32) + "-00f067aa0ba902b7-01" }) {
			this.finished.clear();
			try (TracingBridge.SpanScope scope = this.bridge.continueTrace(traceparent, "handler")) {
				assertThat(scope.traceId()).matches("[0-9a-f]{32}").isNotEqualTo(TRACE_ID);
			}
			assertThat(this.finished).singleElement().satisfies((span) -> assertThat(span.parentId()).isNull());
		}
	}

	@Test
	void startsANewTraceEvenInsideAnotherSpan() {
		Span outer = this.tracer.nextSpan().name("poller").start();
		try (Tracer.SpanInScope outerScope = this.tracer.withSpan(outer)) {
			try (TracingBridge.SpanScope scope = this.bridge.continueTrace(null, "handler")) {
				assertThat(scope.traceId()).isNotEqualTo(outer.context().traceId());
			}
			assertThat(this.tracer.currentSpan().context().spanId()).isEqualTo(outer.context().spanId());
		}
		finally {
			outer.end();
		}
	}

	@Test
	void recordsAnErrorOnTheSpan() {
		try (TracingBridge.SpanScope scope = this.bridge.continueTrace(TRACEPARENT, "handler")) {
			scope.error(new IllegalStateException("boom"));
		}
		assertThat(this.finished).singleElement()
			.satisfies((span) -> assertThat(span.error()).isInstanceOf(IllegalStateException.class).hasMessage("boom"));
	}

	@Test
	void respectsTheCallersDecisionNotToSample() {
		try (TracingBridge.SpanScope scope = this.bridge.continueTrace("00-" + TRACE_ID + "-00f067aa0ba902b7-00",
				"handler")) {
			assertThat(scope.traceId()).isEqualTo(TRACE_ID);
			assertThat(scope.traceparent()).endsWith("-00");
		}
		assertThat(this.finished).isEmpty();
	}

	@Test
	void closingTheScopeTwiceEndsTheSpanOnce() {
		TracingBridge.SpanScope scope = this.bridge.continueTrace(TRACEPARENT, "handler");
		scope.close();
		scope.close();
		assertThat(this.finished).hasSize(1);
		assertThat(this.tracer.currentSpan()).isNull();
	}

	@Test
	void knowsNoTraceOverMicrometersNoopTracer() {
		TracingBridge noop = new MicrometerTracingBridge(Tracer.NOOP);
		assertThat(noop.currentTraceId()).isNull();
		assertThat(noop.currentTraceparent()).isNull();
		try (TracingBridge.SpanScope scope = noop.continueTrace(TRACEPARENT, "handler")) {
			assertThat(scope.traceId()).isNull();
			assertThat(scope.traceparent()).isNull();
		}
	}

}
