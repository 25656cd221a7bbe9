package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.handler.DeadLetter;
import io.eventy.handler.DeadLetters;
import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import io.eventy.handler.RetryPolicy;
import io.eventy.handler.SubscriptionOptions;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordKind;
import io.eventy.record.RecordType;
import io.eventy.store.StoredRecord;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PostgresHandlerRetryTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private final PGSimpleDataSource dataSource = PostgresHandlerFixture.database();

	@Test
	void failingHandlerIsRetriedMaxAttemptsThenDeadLetteredAndTheRecordsAfterItAreHandled() {
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("failing", Failing.class)
			.bean("healthy", Healthy.class)
			.start()) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			store.publish(new OrderPlaced("good-1"));
			StoredRecord bad = store.publish(new OrderPlaced("bad"));
			store.publish(new OrderPlaced("good-2"));
			Failing failing = context.getBean(Failing.class);
			await().atMost(DEADLINE).until(() -> failing.handled.contains("good-2"));
			assertThat(failing.calls.get("bad")).hasValue(3);
			assertThat(failing.handled).containsExactly("good-1", "good-2");
			await().during(Duration.ofMillis(300)).atMost(DEADLINE).until(() -> failing.calls.get("bad").get() == 3);
			List<DeadLetter> deadLetters = context.getBean(PostgresDeadLetters.class).list("failing.on");
			assertThat(deadLetters).singleElement().satisfies((letter) -> {
				assertThat(letter.record().record().uuid()).isEqualTo(bad.record().uuid());
				assertThat(letter.record().position()).isEqualTo(bad.position());
				assertThat(letter.subscription()).isEqualTo("failing.on");
				assertThat(letter.attempts()).isEqualTo(3);
				assertThat(letter.lastError()).contains("IllegalStateException").contains("cannot handle bad");
				assertThat(letter.deadAt()).isNotNull();
			});
			assertThat(context.getBean(Healthy.class).handled).containsExactly("good-1", "bad", "good-2");
			assertThat(context.getBean(PostgresDeadLetters.class).list("healthy.on")).isEmpty();
		}
	}

	@Test
	void aHandlerWaitingToRetryNeverDelaysAnotherSubscription() {
		SubscriptionOptions slowRetries = PostgresHandlerFixture.fastOptions()
			.withRetry(new RetryPolicy(10, Duration.ofMinutes(1), 2.0, Duration.ofMinutes(5)));
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.options(slowRetries)
			.bean("failing", Failing.class)
			.bean("healthy", Healthy.class)
			.start()) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			store.publish(new OrderPlaced("bad"));
			for (int i = 0; i < 20; i++) {
				store.publish(new OrderPlaced("good-" + i));
			}
			Healthy healthy = context.getBean(Healthy.class);
			await().atMost(DEADLINE).until(() -> healthy.handled.size() == 21);
			Failing failing = context.getBean(Failing.class);
			assertThat(failing.calls.get("bad")).hasValue(1);
			assertThat(failing.handled).isEmpty();
		}
	}

	@Test
	void redrivenDeadLettersAreHandledAgainAndLeaveTheList() {
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("failing", Failing.class)
			.start()) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			store.publish(new OrderPlaced("bad"));
			store.publish(new OrderPlaced("good-1"));
			Failing failing = context.getBean(Failing.class);
			DeadLetters deadLetters = context.getBean(PostgresDeadLetters.class);
			await().atMost(DEADLINE).until(() -> failing.handled.contains("good-1"));
			assertThat(deadLetters.list("failing.on")).hasSize(1);
			assertThat(deadLetters.redrive("failing.on")).isEqualTo(1);
			await().atMost(DEADLINE).until(() -> failing.calls.get("bad").get() == 6);
			await().atMost(DEADLINE)
				.until(() -> !deadLetters.list("failing.on").isEmpty()
						&& deadLetters.list("failing.on").get(0).attempts() == 6);
			assertThat(deadLetters.redrive("other")).isZero();
			failing.failing.set(false);
			assertThat(deadLetters.redrive("failing.on")).isEqualTo(1);
			await().atMost(DEADLINE).until(() -> failing.handled.contains("bad"));
			await().atMost(DEADLINE).until(() -> deadLetters.list("failing.on").isEmpty());
			assertThat(failing.handled).containsExactly("good-1", "bad");
		}
	}

	@Test
	void redrivenDeadLetterOfAnAtMostOnceHandlerIsCalledOnceMoreAndIsDeadAgainWhenItFails() {
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("failing", FailingAtMostOnce.class)
			.start()) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			store.publish(new OrderPlaced("bad"));
			store.publish(new OrderPlaced("good-1"));
			FailingAtMostOnce failing = context.getBean(FailingAtMostOnce.class);
			DeadLetters deadLetters = context.getBean(PostgresDeadLetters.class);
			await().atMost(DEADLINE).until(() -> failing.handled.contains("good-1"));
			assertThat(deadLetters.list("failing.on")).singleElement()
				.satisfies((letter) -> assertThat(letter.attempts()).isOne());
			assertThat(deadLetters.redrive("failing.on")).isEqualTo(1);
			await().atMost(DEADLINE)
				.until(() -> !deadLetters.list("failing.on").isEmpty()
						&& deadLetters.list("failing.on").get(0).attempts() == 2);
			await().during(Duration.ofMillis(300)).atMost(DEADLINE).until(() -> failing.calls.get("bad").get() == 2);
			failing.failing.set(false);
			assertThat(deadLetters.redrive("failing.on")).isEqualTo(1);
			await().atMost(DEADLINE).until(() -> deadLetters.list("failing.on").isEmpty());
			assertThat(failing.handled).containsExactly("good-1", "bad");
			assertThat(failing.calls.get("bad")).hasValue(3);
		}
	}

	@Test
	void redrivenDeadLetterOfAnExactlyOnceHandlerIsRetriedThenHandledOnceAndLeavesTheList() {
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("failing", FailingExactlyOnce.class)
			.start()) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			store.publish(new OrderPlaced("bad"));
			store.publish(new OrderPlaced("good-1"));
			FailingExactlyOnce failing = context.getBean(FailingExactlyOnce.class);
			DeadLetters deadLetters = context.getBean(PostgresDeadLetters.class);
			await().atMost(DEADLINE).until(() -> failing.handled.contains("good-1"));
			assertThat(deadLetters.list("failing.on")).singleElement()
				.satisfies((letter) -> assertThat(letter.attempts()).isEqualTo(3));
			assertThat(deadLetters.redrive("failing.on")).isEqualTo(1);
			await().atMost(DEADLINE)
				.until(() -> !deadLetters.list("failing.on").isEmpty()
						&& deadLetters.list("failing.on").get(0).attempts() == 6);
			assertThat(failing.calls.get("bad")).hasValue(6);
			failing.failing.set(false);
			assertThat(deadLetters.redrive("failing.on")).isEqualTo(1);
			await().atMost(DEADLINE).until(() -> deadLetters.list("failing.on").isEmpty());
			assertThat(failing.handled).containsExactly("good-1", "bad");
			assertThat(failing.calls.get("bad")).hasValue(7);
		}
	}

	@Test
	void recordWhoseDataNoLongerFitsThePayloadTypeIsDeadLetteredWithoutRetries() throws Exception {
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("failing", Failing.class)
			.start()) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			EventyRecord incompatible = EventyRecord.builder(RecordKind.EVENT)
				.namespace("urn:shop")
				.name("OrderPlaced")
				.source("urn:older-service")
				.data(new ObjectMapper().readTree("{\"orderId\": {\"was\": \"an object\"}}"))
				.build();
			store.publish(incompatible);
			store.publish(new OrderPlaced("good-1"));
			Failing failing = context.getBean(Failing.class);
			await().atMost(DEADLINE).until(() -> failing.handled.contains("good-1"));
			assertThat(failing.calls).containsOnlyKeys("good-1");
			assertThat(context.getBean(PostgresDeadLetters.class).list("failing.on")).singleElement()
				.satisfies((letter) -> {
					assertThat(letter.attempts()).isEqualTo(1);
					assertThat(letter.lastError()).contains("PayloadConversionException");
					assertThat(letter.record().record().data().get("orderId").get("was").asText())
						.isEqualTo("an object");
				});
		}
	}

	@Test
	void requestWhoseHandlerThrowsIsAnsweredWithAnErrorResponseNotRetried() throws Exception {
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("quotes", Quotes.class)
			.start()) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			StoredRecord request = store.publish(new Quote("unknown"));
			StoredRecord fine = store.publish(new Quote("42"));
			await().atMost(DEADLINE).until(() -> responses().size() == 2);
			assertThat(responses()).containsExactly(
					Map.of("request_uuid", request.record().uuid().toString(), "ok", "false", "error_message",
							"no such order: unknown", "name", "QuoteGiven"),
					Map.of("request_uuid", fine.record().uuid().toString(), "ok", "true", "error_message", "", "name",
							"QuoteGiven"));
			assertThat(context.getBean(Quotes.class).calls).hasValue(2);
			assertThat(context.getBean(PostgresDeadLetters.class).list("quotes.quote")).isEmpty();
		}
	}

	private List<Map<String, String>> responses() throws Exception {
		List<Map<String, String>> responses = new CopyOnWriteArrayList<>();
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT request_uuid, ok, error_message, name, destination "
						+ "FROM eventy_records WHERE kind = 'RESPONSE' ORDER BY position")) {
			while (result.next()) {
				assertThat(result.getString("destination")).isEqualTo("urn:test-service");
				responses.add(Map.of("request_uuid", result.getString(1), "ok",
						result.getString(2).equals("t") ? "true" : "false", "error_message",
						String.valueOf(result.getString(3)).replace("null", ""), "name", result.getString(4)));
			}
		}
		return responses;
	}

	@RecordType(namespace = "urn:shop")
	record OrderPlaced(String orderId) {
	}

	@RecordType(namespace = "urn:shop", kind = RecordKind.REQUEST)
	record Quote(String orderId) {
	}

	@RecordType(namespace = "urn:shop", kind = RecordKind.RESPONSE)
	record QuoteGiven(long cents) {
	}

	/**
	 * Fails on the order "bad" while {@link #failing} is set, and counts every call.
	 */
	abstract static class FailingOnBad {

		final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

		final List<String> handled = new CopyOnWriteArrayList<>();

		final AtomicBoolean failing = new AtomicBoolean(true);

		void handle(OrderPlaced event) {
			this.calls.computeIfAbsent(event.orderId(), (id) -> new AtomicInteger()).incrementAndGet();
			if (event.orderId().equals("bad") && this.failing.get()) {
				throw new IllegalStateException("cannot handle " + event.orderId());
			}
			this.handled.add(event.orderId());
		}

	}

	static class Failing extends FailingOnBad {

		@EventHandler
		void on(OrderPlaced event) {
			handle(event);
		}

	}

	static class FailingAtMostOnce extends FailingOnBad {

		@EventHandler(guarantee = Guarantee.AT_MOST_ONCE)
		void on(OrderPlaced event) {
			handle(event);
		}

	}

	static class FailingExactlyOnce extends FailingOnBad {

		@EventHandler(guarantee = Guarantee.EXACTLY_ONCE)
		void on(OrderPlaced event) {
			handle(event);
		}

	}

	static class Healthy {

		final List<String> handled = new CopyOnWriteArrayList<>();

		@EventHandler
		void on(OrderPlaced event) {
			this.handled.add(event.orderId());
		}

	}

	static class Quotes {

		final AtomicInteger calls = new AtomicInteger();

		@EventHandler
		QuoteGiven quote(Quote quote) {
			this.calls.incrementAndGet();
			if (quote.orderId().equals("unknown")) {
				throw new IllegalStateException("no such order: " + quote.orderId());
			}
			return new QuoteGiven(500);
		}

	}

}
