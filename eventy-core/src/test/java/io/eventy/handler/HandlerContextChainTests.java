package io.eventy.handler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import brave.Tracing;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.sampler.Sampler;
import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.context.MicrometerTracingBridge;
import io.eventy.context.Traceparent;
import io.eventy.context.TracingBridge;
import io.eventy.record.RecordType;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.postgres.PostgresEventStore;
import io.eventy.store.postgres.PostgresHandlerFixture;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.MDC;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chain of ids from a record appended in a request's context, through the handler
 * that the subscription runs, to the record the handler returns, all through the real
 * PostgreSQL store.
 */
class HandlerContextChainTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

	private final PGSimpleDataSource dataSource = PostgresHandlerFixture.database();

	@Test
	void handlerSeesTheRecordsTraceAndRequestIdsAndWhatItReturnsCarriesThemWithTheHandledRecordAsCause() {
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("fulfilment", Fulfilment.class, () -> new Fulfilment(null))
			.start()) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			StoredRecord order;
			try (EventyContextHolder.Scope scope = EventyContextHolder
				.open(new EventyContext("trace-chain-1", "rq-chain-1", null, null, Map.of()))) {
				order = store.append(StreamId.of("order", "7"), ExpectedVersion.noStream(), new OrderPlaced("7"))
					.records()
					.get(0);
			}
			Fulfilment fulfilment = context.getBean(Fulfilment.class);
			await().atMost(DEADLINE).until(() -> followUps(store).size() == 1);
			assertThat(fulfilment.seen).singleElement().satisfies((seen) -> {
				assertThat(seen.mdcTraceId()).isEqualTo("trace-chain-1");
				assertThat(seen.mdcRequestId()).isEqualTo("rq-chain-1");
				assertThat(seen.record().record().correlationId()).isEqualTo("trace-chain-1");
				assertThat(seen.record().requestId()).isEqualTo("rq-chain-1");
				assertThat(seen.record().record().uuid()).isEqualTo(order.record().uuid());
			});
			StoredRecord handled = store.readAll(order.position(), 1).get(0);
			assertThat(handled.record().correlationId()).isEqualTo("trace-chain-1");
			assertThat(handled.requestId()).isEqualTo("rq-chain-1");
			StoredRecord emitted = followUps(store).get(0);
			assertThat(emitted.record().correlationId()).isEqualTo("trace-chain-1");
			assertThat(emitted.requestId()).isEqualTo("rq-chain-1");
			assertThat(emitted.causationId()).isEqualTo(order.record().uuid().toString());
			assertThat(emitted.record().partitionKey()).isEqualTo("order-7");
		}
	}

	@Test
	void recordWrittenWithATraceparentIsHandledInASpanOfTheSameTraceWhoseParentGoesOnWhatItEmits() {
		try (Tracing tracing = Tracing.newBuilder()
			.currentTraceContext(ThreadLocalCurrentTraceContext.create())
			.traceId128Bit(true)
			.sampler(Sampler.ALWAYS_SAMPLE)
			.build()) {
			Tracer tracer = new BraveTracer(tracing.tracer(),
					new BraveCurrentTraceContext(tracing.currentTraceContext()));
			try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
				.bean("tracing", TracingBridge.class, () -> new MicrometerTracingBridge(tracer))
				.bean("fulfilment", Fulfilment.class, () -> new Fulfilment(tracer))
				.start()) {
				PostgresEventStore store = context.getBean(PostgresEventStore.class);
				StoredRecord order;
				try (EventyContextHolder.Scope scope = EventyContextHolder
					.open(new EventyContext(TRACE_ID, "rq-traced", null, TRACEPARENT, Map.of()))) {
					order = store.publish(new OrderPlaced("8"));
				}
				assertThat(order.traceparent()).isEqualTo(TRACEPARENT);
				Fulfilment fulfilment = context.getBean(Fulfilment.class);
				await().atMost(DEADLINE).until(() -> followUps(store).size() == 1);
				Seen seen = fulfilment.seen.get(0);
				assertThat(seen.spanTraceId()).isEqualTo(TRACE_ID);
				assertThat(seen.spanId()).isNotNull().isNotEqualTo("00f067aa0ba902b7");
				assertThat(seen.mdcTraceId()).isEqualTo(TRACE_ID);
				StoredRecord emitted = followUps(store).get(0);
				Traceparent emittedParent = Traceparent.parse(emitted.traceparent());
				assertThat(emittedParent).isNotNull();
				assertThat(emittedParent.traceId()).isEqualTo(TRACE_ID);
				assertThat(emittedParent.spanId()).isEqualTo(seen.spanId());
				assertThat(emitted.causationId()).isEqualTo(order.record().uuid().toString());
			}
		}
	}

	private static List<StoredRecord> followUps(PostgresEventStore store) {
		return store.readAll(1, 100)
			.stream()
			.filter((record) -> record.record().name().equals("OrderShipped"))
			.toList();
	}

	@RecordType(namespace = "urn:shop")
	record OrderPlaced(String orderId) {
	}

	@RecordType(namespace = "urn:shop")
	record OrderShipped(String orderId) {
	}

	record Seen(StoredRecord record, @Nullable String mdcTraceId, @Nullable String mdcRequestId,
			@Nullable String spanTraceId, @Nullable String spanId) {
	}

	static class Fulfilment {

		final List<Seen> seen = new CopyOnWriteArrayList<>();

		private final @Nullable Tracer tracer;

		Fulfilment(@Nullable Tracer tracer) {
			this.tracer = tracer;
		}

		@EventHandler(guarantee = Guarantee.AT_LEAST_ONCE)
		OrderShipped ship(OrderPlaced event, StoredRecord record) {
			Span span = (this.tracer != null) ? this.tracer.currentSpan() : null;
			this.seen.add(new Seen(record, MDC.get("traceId"), MDC.get("requestId"),
					(span != null) ? span.context().traceId() : null, (span != null) ? span.context().spanId() : null));
			return new OrderShipped(event.orderId());
		}

	}

}
