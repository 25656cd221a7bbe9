package io.eventy.context;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

class EventyContextThreadLocalAccessorTests {

	private final ContextRegistry registry = new ContextRegistry()
		.registerThreadLocalAccessor(new EventyContextThreadLocalAccessor());

	private final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder()
		.contextRegistry(this.registry)
		.build();

	@AfterEach
	void cleanUp() {
		MDC.clear();
	}

	@Test
	void carriesTheContextAndMdcIdsToAnotherThread() throws Exception {
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			EventyContext context = EventyContext.of("trace-1", "req-1");
			ContextSnapshot snapshot;
			try (EventyContextHolder.Scope scope = EventyContextHolder.open(context)) {
				snapshot = this.snapshots.captureAll();
			}
			String seen = executor.submit(() -> {
				try (ContextSnapshot.Scope restored = snapshot.setThreadLocals()) {
					return EventyContextHolder.current().traceId() + "/" + MDC.get("traceId") + "/"
							+ MDC.get("requestId");
				}
			}).get(10, TimeUnit.SECONDS);
			assertThat(seen).isEqualTo("trace-1/trace-1/req-1");
			assertThat(executor.submit(() -> EventyContextHolder.current()).get(10, TimeUnit.SECONDS)).isNull();
			assertThat(executor.submit(() -> MDC.get("traceId")).get(10, TimeUnit.SECONDS)).isNull();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void restoresThePreviousContextOfTheTargetThread() {
		EventyContext captured = EventyContext.of("trace-1", "req-1");
		ContextSnapshot snapshot;
		try (EventyContextHolder.Scope scope = EventyContextHolder.open(captured)) {
			snapshot = this.snapshots.captureAll();
		}
		EventyContext local = EventyContext.of("trace-2", null);
		try (EventyContextHolder.Scope scope = EventyContextHolder.open(local)) {
			try (ContextSnapshot.Scope restored = snapshot.setThreadLocals()) {
				assertThat(EventyContextHolder.current()).isSameAs(captured);
				assertThat(MDC.get("requestId")).isEqualTo("req-1");
			}
			assertThat(EventyContextHolder.current()).isSameAs(local);
			assertThat(MDC.get("traceId")).isEqualTo("trace-2");
			assertThat(MDC.get("requestId")).isNull();
		}
	}

	@Test
	void clearsTheContextWhenTheSnapshotHasNoneAndMissingValuesAreCleared() {
		ContextSnapshot empty = ContextSnapshotFactory.builder()
			.contextRegistry(this.registry)
			.clearMissing(true)
			.build()
			.captureAll();
		EventyContext local = EventyContext.of("trace-2", "req-2");
		try (EventyContextHolder.Scope scope = EventyContextHolder.open(local)) {
			try (ContextSnapshot.Scope restored = empty.setThreadLocals()) {
				assertThat(EventyContextHolder.current()).isNull();
				assertThat(MDC.get("traceId")).isNull();
			}
			assertThat(EventyContextHolder.current()).isSameAs(local);
			assertThat(MDC.get("requestId")).isEqualTo("req-2");
		}
	}

}
