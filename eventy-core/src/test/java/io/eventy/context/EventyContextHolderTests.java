package io.eventy.context;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EventyContextHolderTests {

	@AfterEach
	void cleanUp() {
		EventyContextHolder.setMdcKeys(EventyContextHolder.DEFAULT_TRACE_ID_KEY,
				EventyContextHolder.DEFAULT_REQUEST_ID_KEY);
		MDC.clear();
	}

	@Test
	void hasNoContextOutsideAnyScope() {
		assertThat(EventyContextHolder.current()).isNull();
	}

	@Test
	void publishesTheContextAndItsIdsInMdcInsideTheScope() {
		EventyContext context = EventyContext.of("trace-1", "req-1");
		try (EventyContextHolder.Scope scope = EventyContextHolder.open(context)) {
			assertThat(EventyContextHolder.current()).isSameAs(context);
			assertThat(MDC.get("traceId")).isEqualTo("trace-1");
			assertThat(MDC.get("requestId")).isEqualTo("req-1");
		}
		assertThat(EventyContextHolder.current()).isNull();
		assertThat(MDC.get("traceId")).isNull();
		assertThat(MDC.get("requestId")).isNull();
	}

	@Test
	void restoresTheOuterContextAndMdcWhenANestedScopeCloses() {
		EventyContext outer = EventyContext.of("trace-1", "req-1");
		EventyContext inner = EventyContext.of("trace-2", null);
		try (EventyContextHolder.Scope outerScope = EventyContextHolder.open(outer)) {
			try (EventyContextHolder.Scope innerScope = EventyContextHolder.open(inner)) {
				assertThat(EventyContextHolder.current()).isSameAs(inner);
				assertThat(MDC.get("traceId")).isEqualTo("trace-2");
				assertThat(MDC.get("requestId")).isNull();
			}
			assertThat(EventyContextHolder.current()).isSameAs(outer);
			assertThat(MDC.get("traceId")).isEqualTo("trace-1");
			assertThat(MDC.get("requestId")).isEqualTo("req-1");
		}
	}

	@Test
	void restoresMdcValuesThatSomeoneElsePutThere() {
		MDC.put("traceId", "from-tracer");
		MDC.put("other", "kept");
		try (EventyContextHolder.Scope scope = EventyContextHolder.open(EventyContext.of("trace-1", "req-1"))) {
			assertThat(MDC.get("traceId")).isEqualTo("trace-1");
		}
		assertThat(MDC.get("traceId")).isEqualTo("from-tracer");
		assertThat(MDC.get("requestId")).isNull();
		assertThat(MDC.get("other")).isEqualTo("kept");
	}

	@Test
	void closingAScopeTwiceRestoresOnlyOnce() {
		EventyContext outer = EventyContext.of("trace-1", "req-1");
		try (EventyContextHolder.Scope outerScope = EventyContextHolder.open(outer)) {
			EventyContextHolder.Scope first = EventyContextHolder.open(EventyContext.of("trace-2", null));
			first.close();
			EventyContext third = EventyContext.of("trace-3", null);
			try (EventyContextHolder.Scope thirdScope = EventyContextHolder.open(third)) {
				first.close();
				assertThat(EventyContextHolder.current()).isSameAs(third);
				assertThat(MDC.get("traceId")).isEqualTo("trace-3");
			}
			assertThat(EventyContextHolder.current()).isSameAs(outer);
		}
	}

	@Test
	void keepsContextsOfThreadsApart() throws Exception {
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try (EventyContextHolder.Scope scope = EventyContextHolder.open(EventyContext.of("trace-1", "req-1"))) {
			assertThat(executor.submit(() -> EventyContextHolder.current()).get(10, TimeUnit.SECONDS)).isNull();
			assertThat(executor.submit(() -> MDC.get("traceId")).get(10, TimeUnit.SECONDS)).isNull();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void wrappedTasksRunInTheContextOfTheirCreatorAndLeaveNothingBehind() throws Exception {
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			EventyContext context = EventyContext.of("trace-1", "req-1");
			Runnable runnable;
			Callable<String> callable;
			String[] seenByRunnable = new String[2];
			try (EventyContextHolder.Scope scope = EventyContextHolder.open(context)) {
				runnable = EventyContextHolder.wrap(() -> {
					seenByRunnable[0] = MDC.get("traceId");
					seenByRunnable[1] = EventyContextHolder.current().requestId();
				});
				callable = EventyContextHolder.wrap(() -> MDC.get("requestId") + "/" + EventyContextHolder.current());
			}
			executor.submit(runnable).get(10, TimeUnit.SECONDS);
			assertThat(seenByRunnable).containsExactly("trace-1", "req-1");
			assertThat(executor.submit(callable).get(10, TimeUnit.SECONDS)).isEqualTo("req-1/" + context);
			assertThat(executor.submit(() -> EventyContextHolder.current()).get(10, TimeUnit.SECONDS)).isNull();
			assertThat(executor.submit(() -> MDC.getCopyOfContextMap()).get(10, TimeUnit.SECONDS))
				.satisfiesAnyOf((map) -> assertThat(map).isNull(), (map) -> assertThat(map).isEmpty());
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void wrapReturnsTheTaskItselfOutsideAnyScope() {
		Runnable runnable = () -> {
		};
		Callable<String> callable = () -> "x";
		assertThat(EventyContextHolder.wrap(runnable)).isSameAs(runnable);
		assertThat(EventyContextHolder.wrap(callable)).isSameAs(callable);
	}

	@Test
	void publishesIdsUnderConfiguredMdcKeys() {
		EventyContextHolder.setMdcKeys("trace_id", "request_id");
		assertThat(EventyContextHolder.traceIdMdcKey()).isEqualTo("trace_id");
		assertThat(EventyContextHolder.requestIdMdcKey()).isEqualTo("request_id");
		try (EventyContextHolder.Scope scope = EventyContextHolder.open(EventyContext.of("trace-1", "req-1"))) {
			assertThat(MDC.get("trace_id")).isEqualTo("trace-1");
			assertThat(MDC.get("request_id")).isEqualTo("req-1");
			assertThat(MDC.get("traceId")).isNull();
		}
		assertThat(MDC.get("trace_id")).isNull();
		assertThat(MDC.get("request_id")).isNull();
	}

	@Test
	void rejectsBlankOrEqualMdcKeys() {
		assertThatIllegalArgumentException().isThrownBy(() -> EventyContextHolder.setMdcKeys(" ", "requestId"));
		assertThatIllegalArgumentException().isThrownBy(() -> EventyContextHolder.setMdcKeys("traceId", ""));
		assertThatIllegalArgumentException().isThrownBy(() -> EventyContextHolder.setMdcKeys("id", "id"))
			.withMessageContaining("different");
		assertThat(EventyContextHolder.traceIdMdcKey()).isEqualTo("traceId");
	}

	@Test
	void theNoopBridgeKnowsNoTraceAndItsScopeDoesNothing() {
		TracingBridge bridge = TracingBridge.noop();
		assertThat(bridge.currentTraceId()).isNull();
		assertThat(bridge.currentTraceparent()).isNull();
		try (TracingBridge.SpanScope scope = bridge
			.continueTrace("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "handler")) {
			scope.error(new IllegalStateException("boom"));
			assertThat(scope.traceId()).isNull();
			assertThat(scope.traceparent()).isNull();
		}
		assertThat(EventyContextHolder.current()).isNull();
	}

}
