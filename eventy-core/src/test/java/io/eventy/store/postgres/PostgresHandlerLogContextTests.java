package io.eventy.store.postgres;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import io.eventy.record.RecordType;
import io.eventy.testsupport.LogCapture;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the PostgreSQL subscriptions log about a record carries the record's ids.
 */
class PostgresHandlerLogContextTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String REQUEST_ID = "request-42";

	private final PGSimpleDataSource dataSource = PostgresHandlerFixture.database();

	@Test
	void retriesDeadLettersAndRedrivesOfARecordAreLoggedWithItsTraceAndRequestIds() {
		try (LogCapture logs = LogCapture.start();
				AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
					.bean("atLeastOnce", FailingAtLeastOnce.class)
					.bean("exactlyOnce", FailingExactlyOnce.class)
					.start()) {
			try (EventyContextHolder.Scope scope = EventyContextHolder.open(EventyContext.of(TRACE_ID, REQUEST_ID))) {
				context.getBean(PostgresEventStore.class).publish(new OrderPlaced("bad"));
			}
			PostgresDeadLetters deadLetters = context.getBean(PostgresDeadLetters.class);
			await().atMost(DEADLINE)
				.until(() -> deadLetters.list("atLeastOnce.on").size() == 1
						&& deadLetters.list("exactlyOnce.on").size() == 1);
			assertThat(deadLetters.redrive("atLeastOnce.on")).isOne();
			FailingAtLeastOnce atLeastOnce = context.getBean(FailingAtLeastOnce.class);
			await().atMost(DEADLINE)
				.until(() -> atLeastOnce.calls.get() == 6 && logs
					.lines(Level.ERROR, "eventy-subscription-atLeastOnce.on")
					.stream()
					.anyMatch((line) -> line.getFormattedMessage().contains("gave up on re-driven dead letter")));

			List<ILoggingEvent> atLeastOnceLines = logs.lines(Level.INFO, "eventy-subscription-atLeastOnce.on")
				.stream()
				.filter((line) -> line.getLevel() != Level.INFO
						|| line.getFormattedMessage().contains("re-driven dead letter"))
				.toList();
			assertThat(atLeastOnceLines).extracting(ILoggingEvent::getFormattedMessage)
				.anyMatch((message) -> message.contains("(attempt 1 of 3)"))
				.anyMatch((message) -> message.contains("(attempt 2 of 3)"))
				.anyMatch((message) -> message.contains("gave up on record at position"))
				.anyMatch((message) -> message.contains("handles re-driven dead letter"))
				.anyMatch((message) -> message.contains("re-driven dead letter at position")
						&& message.contains("failed again"))
				.anyMatch((message) -> message.contains("gave up on re-driven dead letter"));
			List<ILoggingEvent> exactlyOnceLines = logs.lines(Level.WARN, "eventy-subscription-exactlyOnce.on");
			assertThat(exactlyOnceLines).extracting(ILoggingEvent::getFormattedMessage)
				.anyMatch((message) -> message.contains("(attempt 1 of 3)"))
				.anyMatch((message) -> message.contains("gave up on record at position"));
			assertThat(atLeastOnceLines).hasSizeGreaterThanOrEqualTo(6);
			assertThat(exactlyOnceLines).hasSizeGreaterThanOrEqualTo(3);
			assertThat(atLeastOnceLines).allSatisfy(PostgresHandlerLogContextTests::carriesTheRecordsIds);
			assertThat(exactlyOnceLines).allSatisfy(PostgresHandlerLogContextTests::carriesTheRecordsIds);
		}
	}

	static void carriesTheRecordsIds(ILoggingEvent line) {
		assertThat(line.getMDCPropertyMap()).as(line.getFormattedMessage())
			.containsEntry("traceId", TRACE_ID)
			.containsEntry("requestId", REQUEST_ID);
	}

	@RecordType(namespace = "urn:shop")
	record OrderPlaced(String orderId) {
	}

	static class FailingAtLeastOnce {

		final AtomicInteger calls = new AtomicInteger();

		@EventHandler
		void on(OrderPlaced event) {
			this.calls.incrementAndGet();
			throw new IllegalStateException("cannot handle " + event.orderId());
		}

	}

	static class FailingExactlyOnce {

		@EventHandler(guarantee = Guarantee.EXACTLY_ONCE)
		void on(OrderPlaced event) {
			throw new IllegalStateException("cannot handle " + event.orderId());
		}

	}

}
