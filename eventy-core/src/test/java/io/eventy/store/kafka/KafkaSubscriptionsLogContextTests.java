package io.eventy.store.kafka;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StreamId;
import io.eventy.store.kafka.KafkaTestRecords.OrderPlaced;
import io.eventy.testsupport.KafkaTestBroker;
import io.eventy.testsupport.LogCapture;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the Kafka subscriptions log about a record carries the record's ids.
 * <p>
 * Spring Kafka's own lines about the record ("Transaction rolled back", "Record in retry
 * and not yet recovered") are logged in the same scope, on the consumer thread between
 * the interception of the record and the end of its handling; they are not captured here:
 * on this class path Spring's logging goes to the test broker's Log4j 2, not to SLF4J as
 * in an application.
 */
class KafkaSubscriptionsLogContextTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String REQUEST_ID = "request-42";

	@Test
	void retriesDeadLettersAndRedrivesOfARecordAreLoggedWithItsTraceAndRequestIds() {
		String service = KafkaHandlerContexts.newService(1);
		try (LogCapture logs = LogCapture.start();
				AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service,
						FailingAtLeastOnce.class, FailingExactlyOnce.class)) {
			try (EventyContextHolder.Scope scope = EventyContextHolder.open(EventyContext.of(TRACE_ID, REQUEST_ID))) {
				context.getBean(EventStore.class)
					.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("1", -1));
			}
			String atLeastOnceThreads = service + ".at-least-once-";
			String exactlyOnceThreads = service + ".exactly-once-";
			await().atMost(KafkaTestBroker.timeout())
				.until(() -> deadLettered(logs, atLeastOnceThreads) == 1
						&& deadLettered(logs, exactlyOnceThreads) == 1);
			KafkaDeadLetters deadLetters = context.getBean(KafkaDeadLetters.class);
			// the line is written when the record is given up on, before its copy is on
			// the
			// dead-letter topic
			await().atMost(KafkaTestBroker.timeout()).until(() -> deadLetters.list("at-least-once").size() == 1);
			assertThat(deadLetters.redrive("at-least-once")).isOne();
			await().atMost(KafkaTestBroker.timeout()).until(() -> deadLettered(logs, atLeastOnceThreads) == 2);

			List<ILoggingEvent> atLeastOnceLines = logs.lines(Level.INFO, atLeastOnceThreads)
				.stream()
				.filter((line) -> line.getLevel() != Level.INFO
						|| line.getFormattedMessage().contains("re-driven dead letter"))
				.toList();
			assertThat(atLeastOnceLines).extracting(ILoggingEvent::getFormattedMessage)
				.anyMatch((message) -> message.contains("(attempt 1 of 3)"))
				.anyMatch((message) -> message.contains("(attempt 2 of 3)"))
				.anyMatch((message) -> message.contains("gave up on record at offset 0 of " + service + "-events-0"))
				.anyMatch((message) -> message.contains("handles re-driven dead letter"));
			assertThat(context.getBean(FailingAtLeastOnce.class).calls).hasValue(6);
			List<ILoggingEvent> exactlyOnceLines = logs.lines(Level.WARN, exactlyOnceThreads);
			assertThat(exactlyOnceLines).extracting(ILoggingEvent::getFormattedMessage)
				.anyMatch((message) -> message.contains("(attempt 1 of 3)"))
				.anyMatch((message) -> message.contains("gave up on record"));
			assertThat(atLeastOnceLines).hasSizeGreaterThanOrEqualTo(8);
			assertThat(exactlyOnceLines).hasSizeGreaterThanOrEqualTo(3);
			assertThat(atLeastOnceLines).allSatisfy(KafkaSubscriptionsLogContextTests::carriesTheRecordsIds);
			assertThat(exactlyOnceLines).allSatisfy(KafkaSubscriptionsLogContextTests::carriesTheRecordsIds);
		}
	}

	private static long deadLettered(LogCapture logs, String threads) {
		return logs.lines(Level.ERROR, threads)
			.stream()
			.filter((line) -> line.getFormattedMessage().contains("gave up on record"))
			.count();
	}

	static void carriesTheRecordsIds(ILoggingEvent line) {
		assertThat(line.getMDCPropertyMap()).as(line.getFormattedMessage())
			.containsEntry("traceId", TRACE_ID)
			.containsEntry("requestId", REQUEST_ID);
	}

	static class FailingAtLeastOnce {

		final AtomicInteger calls = new AtomicInteger();

		@EventHandler(subscription = "at-least-once")
		void onOrderPlaced(OrderPlaced event) {
			this.calls.incrementAndGet();
			throw new IllegalStateException("negative amount");
		}

	}

	static class FailingExactlyOnce {

		@EventHandler(subscription = "exactly-once", guarantee = Guarantee.EXACTLY_ONCE)
		void onOrderPlaced(OrderPlaced event) {
			throw new IllegalStateException("negative amount");
		}

	}

}
