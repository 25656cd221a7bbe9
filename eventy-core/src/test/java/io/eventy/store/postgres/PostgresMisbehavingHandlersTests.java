package io.eventy.store.postgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.zaxxer.hikari.HikariDataSource;
import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.handler.DeadLetter;
import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import io.eventy.record.RecordType;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StreamId;
import io.eventy.testsupport.LogCapture;
import jakarta.validation.constraints.NotBlank;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Handlers that misbehave (throw errors, leave their thread interrupted, return payloads
 * that cannot be stored, break their transaction) fail their call and nothing else: the
 * record is retried then a dead letter with a readable reason, the subscription goes on
 * with the next records on a live worker thread, and no record is handled in a loop.
 */
class PostgresMisbehavingHandlersTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

	private static final String REQUEST_ID = "misbehaving-request";

	private final PGSimpleDataSource dataSource = PostgresHandlerFixture.database();

	@Test
	void errorsAndCheckedExceptionsThrownByHandlersAreRetriedThenDeadLetteredAndTheNextRecordsAreHandled() {
		try (LogCapture logs = LogCapture.start();
				AnnotationConfigApplicationContext context = start(AtLeastOnce.class, AtMostOnce.class,
						ExactlyOnce.class)) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			try (EventyContextHolder.Scope scope = EventyContextHolder.open(EventyContext.of(TRACE_ID, REQUEST_ID))) {
				for (String order : List.of("overflow", "out-of-memory", "assertion", "checked")) {
					store.publish(new OrderPlaced(order));
				}
			}
			store.publish(new OrderPlaced("good"));
			for (Misbehaving handler : handlers(context)) {
				await().atMost(DEADLINE).until(() -> handler.handled.contains("good"));
				int attempts = handler.attempts();
				await().atMost(DEADLINE).until(() -> deadLetters(context, handler).size() == 4);
				assertThat(deadLetters(context, handler)).as(handler.subscription())
					.allSatisfy((letter) -> assertThat(letter.attempts()).isEqualTo(attempts))
					.extracting(DeadLetter::lastError)
					.satisfiesExactly((error) -> assertThat(error).startsWith("java.lang.StackOverflowError"),
							(error) -> assertThat(error).startsWith("java.lang.OutOfMemoryError: test"),
							(error) -> assertThat(error).contains("AssertionError: assertion in handler"),
							(error) -> assertThat(error).contains("IOException: checked in handler"));
				assertCallsStay(handler, Map.of("overflow", attempts, "out-of-memory", attempts, "assertion", attempts,
						"checked", attempts, "good", 1));
				assertThat(handler.handled).containsExactly("good");
				assertWorkerAlive(handler);
			}
			List<ILoggingEvent> lines = logs.lines(Level.WARN, "eventy-subscription-")
				.stream()
				.filter((line) -> line.getFormattedMessage().contains("failed on record")
						|| line.getFormattedMessage().contains("gave up on record"))
				.toList();
			assertThat(lines).hasSizeGreaterThanOrEqualTo(3 * 4);
			assertThat(lines).allSatisfy(PostgresMisbehavingHandlersTests::carriesTheRecordsIds);
		}
	}

	@Test
	void handlersThatLeaveTheirThreadInterruptedNeitherStopNorLoopTheSubscription() {
		// a pool refuses connections to an interrupted thread
		try (HikariDataSource pool = new HikariDataSource();
				LogCapture logs = LogCapture.start();
				AnnotationConfigApplicationContext context = start(pooled(pool), AtLeastOnce.class, AtMostOnce.class,
						ExactlyOnce.class)) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			try (EventyContextHolder.Scope scope = EventyContextHolder.open(EventyContext.of(TRACE_ID, REQUEST_ID))) {
				for (String order : List.of("interrupt", "good-1", "interrupt-and-throw", "good-2")) {
					store.publish(new OrderPlaced(order));
				}
			}
			for (Misbehaving handler : handlers(context)) {
				await().atMost(DEADLINE).until(() -> handler.handled.contains("good-2"));
			}
			// idle at the head now: the next record still reaches every handler
			store.publish(new OrderPlaced("good-3"));
			for (Misbehaving handler : handlers(context)) {
				await().atMost(DEADLINE).until(() -> handler.handled.contains("good-3"));
				int attempts = handler.attempts();
				assertThat(handler.handled).as(handler.subscription())
					.containsExactly("interrupt", "good-1", "good-2", "good-3");
				assertThat(deadLetters(context, handler)).as(handler.subscription())
					.singleElement()
					.satisfies((letter) -> {
						assertThat(letter.record().record().data().get("orderId").asText())
							.isEqualTo("interrupt-and-throw");
						assertThat(letter.attempts()).isEqualTo(attempts);
						assertThat(letter.lastError()).contains("IllegalStateException: interrupted while handling")
							.contains("InterruptedException");
					});
				assertCallsStay(handler,
						Map.of("interrupt", 1, "good-1", 1, "interrupt-and-throw", attempts, "good-2", 1, "good-3", 1));
				assertWorkerAlive(handler);
			}
			List<ILoggingEvent> lines = logs.lines(Level.WARN, "eventy-subscription-")
				.stream()
				.filter((line) -> line.getFormattedMessage().contains("left its thread interrupted"))
				.toList();
			// once per call: interrupt in all three, interrupt-and-throw in 3 + 1 + 3
			assertThat(lines).hasSize(10);
			assertThat(lines).allSatisfy(PostgresMisbehavingHandlersTests::carriesTheRecordsIds);
		}
	}

	@Test
	void returnedPayloadsThatCannotBeStoredFailTheCallAndAnExactlyOnceCallCommitsNothingOfIt() throws Exception {
		try (AnnotationConfigApplicationContext context = start(EmittingAtLeastOnce.class, EmittingExactlyOnce.class)) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			for (String order : List.of("invalid", "untyped", "not-a-record-type", "valid-then-invalid", "huge",
					"good")) {
				store.publish(new OrderPlaced(order));
			}
			for (Misbehaving handler : handlers(context)) {
				await().atMost(DEADLINE).until(() -> handler.handled.contains("good"));
				int attempts = handler.attempts();
				await().atMost(DEADLINE).until(() -> deadLetters(context, handler).size() == 3);
				assertThat(deadLetters(context, handler)).as(handler.subscription())
					.allSatisfy((letter) -> assertThat(letter.attempts()).isEqualTo(attempts))
					.extracting(DeadLetter::lastError)
					.satisfiesExactly((error) -> assertThat(error).contains("shipment"),
							(error) -> assertThat(error).contains("cannot be a record type"),
							(error) -> assertThat(error).contains("shipment"));
				assertCallsStay(handler, Map.of("invalid", attempts, "untyped", 1, "not-a-record-type", attempts,
						"valid-then-invalid", attempts, "huge", 1, "good", 1));
				assertWorkerAlive(handler);
			}
			List<String> shipped = shipped();
			// an exactly-once call stores its records with its checkpoint or not at all
			assertThat(shipped).filteredOn((shipment) -> shipment.startsWith("exactlyOnce"))
				.containsExactlyInAnyOrder("exactlyOnce-huge", "exactlyOnce-good");
			assertThat(shipped).filteredOn((shipment) -> shipment.startsWith("atLeastOnce"))
				.contains("atLeastOnce-huge", "atLeastOnce-good");
		}
	}

	@Test
	void exactlyOnceHandlersThatBreakTheirTransactionFailTheCallAndCommitNothingOfIt() throws Exception {
		try (AnnotationConfigApplicationContext context = start(TransactionalExactlyOnce.class)) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			for (String order : List.of("conflict", "rollback-only", "good")) {
				store.publish(new OrderPlaced(order));
			}
			TransactionalExactlyOnce handler = context.getBean(TransactionalExactlyOnce.class);
			await().atMost(DEADLINE).until(() -> handler.handled.contains("good"));
			await().atMost(DEADLINE).until(() -> deadLetters(context, handler).size() == 2);
			assertThat(deadLetters(context, handler)).allSatisfy((letter) -> assertThat(letter.attempts()).isEqualTo(3))
				.extracting(DeadLetter::lastError)
				.satisfiesExactly((error) -> assertThat(error).contains("ConcurrencyException"),
						(error) -> assertThat(error).contains("UnexpectedRollbackException"));
			assertCallsStay(handler, Map.of("conflict", 3, "rollback-only", 3, "good", 1));
			assertThat(shipped()).containsExactly("exactlyOnce-good");
			assertWorkerAlive(handler);
		}
	}

	private HikariDataSource pooled(HikariDataSource pool) {
		pool.setDataSource(this.dataSource);
		pool.setMaximumPoolSize(10);
		return pool;
	}

	private AnnotationConfigApplicationContext start(Class<?>... handlers) {
		return start(this.dataSource, handlers);
	}

	private static AnnotationConfigApplicationContext start(DataSource dataSource, Class<?>... handlers) {
		PostgresHandlerFixture.ContextBuilder builder = PostgresHandlerFixture.context(dataSource);
		for (Class<?> handler : handlers) {
			builder.bean(Misbehaving.beanName(handler), handler);
		}
		return builder.start();
	}

	private static List<Misbehaving> handlers(AnnotationConfigApplicationContext context) {
		return new ArrayList<>(context.getBeansOfType(Misbehaving.class).values());
	}

	private static List<DeadLetter> deadLetters(AnnotationConfigApplicationContext context, Misbehaving handler) {
		return context.getBean(PostgresDeadLetters.class).list(handler.subscription());
	}

	private static void assertCallsStay(Misbehaving handler, Map<String, Integer> calls) {
		await().during(Duration.ofMillis(300))
			.atMost(DEADLINE)
			.untilAsserted(() -> assertThat(handler.calls()).as(handler.subscription()).isEqualTo(calls));
	}

	private static void assertWorkerAlive(Misbehaving handler) {
		assertThat(handler.threads).as(handler.subscription()).singleElement().satisfies((thread) -> {
			assertThat(thread.getName()).startsWith("eventy-subscription-" + handler.subscription());
			assertThat(thread.isAlive()).isTrue();
		});
	}

	static void carriesTheRecordsIds(ILoggingEvent line) {
		assertThat(line.getMDCPropertyMap()).as(line.getFormattedMessage())
			.containsEntry("traceId", TRACE_ID)
			.containsEntry("requestId", REQUEST_ID);
	}

	private List<String> shipped() throws Exception {
		List<String> shipped = new ArrayList<>();
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(
						"SELECT data->>'shipment' FROM eventy_records WHERE name = 'Shipped' ORDER BY position")) {
			while (result.next()) {
				String shipment = result.getString(1);
				shipped.add(shipment.startsWith("huge") ? shipment.substring(4, shipment.indexOf('|')) : shipment);
			}
		}
		return shipped;
	}

	@SuppressWarnings("unchecked")
	static <E extends Throwable> void sneakyThrow(Throwable ex) throws E {
		throw (E) ex;
	}

	static int recurse(int depth) {
		return recurse(depth + 1) + 1;
	}

	@RecordType(namespace = "urn:shop")
	record OrderPlaced(String orderId) {
	}

	@RecordType(namespace = "urn:shop")
	record Shipped(@NotBlank String shipment) {
	}

	record Untyped(String shipment) {
	}

	/**
	 * Misbehaves on the order named after the fault, counts every call, and remembers the
	 * threads it was called on.
	 */
	abstract static class Misbehaving {

		final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

		final List<String> handled = new CopyOnWriteArrayList<>();

		final Set<Thread> threads = ConcurrentHashMap.newKeySet();

		static String beanName(Class<?> type) {
			String name = type.getSimpleName().replace("Emitting", "").replace("Transactional", "");
			return Character.toLowerCase(name.charAt(0)) + name.substring(1);
		}

		String subscription() {
			return beanName(getClass()) + ".on";
		}

		int attempts() {
			return 3;
		}

		Map<String, Integer> calls() {
			Map<String, Integer> calls = new ConcurrentHashMap<>();
			this.calls.forEach((order, count) -> calls.put(order, count.get()));
			return calls;
		}

		@Nullable Object handle(OrderPlaced event) {
			String order = event.orderId();
			this.calls.computeIfAbsent(order, (id) -> new AtomicInteger()).incrementAndGet();
			this.threads.add(Thread.currentThread());
			Object result = misbehave(order);
			this.handled.add(order);
			return result;
		}

		@Nullable Object misbehave(String order) {
			switch (order) {
				case "overflow" -> recurse(0);
				case "out-of-memory" -> throw new OutOfMemoryError("test");
				case "assertion" -> throw new AssertionError("assertion in handler");
				case "checked" -> sneakyThrow(new IOException("checked in handler"));
				case "interrupt" -> Thread.currentThread().interrupt();
				case "interrupt-and-throw" -> {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("interrupted while handling",
							new InterruptedException("sleep interrupted"));
				}
				default -> {
				}
			}
			return null;
		}

	}

	static class AtLeastOnce extends Misbehaving {

		@EventHandler
		void on(OrderPlaced event) {
			handle(event);
		}

	}

	static class AtMostOnce extends Misbehaving {

		@Override
		int attempts() {
			return 1;
		}

		@EventHandler(guarantee = Guarantee.AT_MOST_ONCE)
		void on(OrderPlaced event) {
			handle(event);
		}

	}

	static class ExactlyOnce extends Misbehaving {

		@EventHandler(guarantee = Guarantee.EXACTLY_ONCE)
		void on(OrderPlaced event) {
			handle(event);
		}

	}

	/**
	 * Returns records that cannot be stored: invalid, of a class that cannot be a record
	 * type, a valid one then an invalid one; and ones that are stored: of a class without
	 * {@link RecordType}, and a huge one.
	 */
	abstract static class Emitting extends Misbehaving {

		@Override
		@Nullable Object misbehave(String order) {
			String prefix = beanName(getClass());
			return switch (order) {
				case "invalid" -> new Shipped(" ");
				// a class of no @RecordType is a record type named after it
				case "untyped" -> new Untyped(prefix + "-untyped");
				case "not-a-record-type" -> new StringBuilder(prefix);
				case "valid-then-invalid" -> List.of(new Shipped(prefix + "-valid"), new Shipped(""));
				case "huge" -> new Shipped("huge" + prefix + "-huge|" + "x".repeat(8 * 1024 * 1024));
				default -> new Shipped(prefix + "-" + order);
			};
		}

	}

	static class EmittingAtLeastOnce extends Emitting {

		@EventHandler
		Object on(OrderPlaced event) {
			return handle(event);
		}

	}

	static class EmittingExactlyOnce extends Emitting {

		@EventHandler(guarantee = Guarantee.EXACTLY_ONCE)
		Object on(OrderPlaced event) {
			return handle(event);
		}

	}

	/**
	 * Breaks the transaction of its exactly-once call after writing to the store: appends
	 * with a wrong expected version, or marks it rollback-only without throwing.
	 */
	static class TransactionalExactlyOnce extends Misbehaving {

		@Autowired
		PostgresEventStore store;

		@Autowired
		PlatformTransactionManager transactionManager;

		@Override
		@Nullable Object misbehave(String order) {
			this.store.publish(new Shipped("exactlyOnce-" + order));
			if (order.equals("conflict")) {
				this.store.append(StreamId.of("order", "o-1"), ExpectedVersion.exactly(5),
						List.of(new Shipped("exactlyOnce-appended")));
			}
			else if (order.equals("rollback-only")) {
				new TransactionTemplate(this.transactionManager)
					.executeWithoutResult((status) -> status.setRollbackOnly());
			}
			return null;
		}

		@EventHandler(guarantee = Guarantee.EXACTLY_ONCE)
		void on(OrderPlaced event) {
			handle(event);
		}

	}

}
