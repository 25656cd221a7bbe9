package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import io.eventy.record.RecordType;
import io.eventy.store.EventStore;
import io.eventy.store.StoredRecord;
import io.eventy.testsupport.LogCapture;
import io.eventy.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PostgresHandlerGuaranteeTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private final PGSimpleDataSource dataSource = PostgresHandlerFixture.database();

	private final JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);

	PostgresHandlerGuaranteeTests() {
		this.jdbc.execute("CREATE TABLE invoices (order_id text NOT NULL)");
	}

	@Test
	void exactlyOnceHandlerThatThrowsAfterItsWritesLeavesEachWriteAndReturnedRecordExactlyOnce() {
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("invoicing", Invoicing.class, () -> new Invoicing(new JdbcTemplate(this.dataSource), null, 1))
			.start()) {
			Invoicing invoicing = context.getBean(Invoicing.class);
			invoicing.store = context.getBean(PostgresEventStore.class);
			StoredRecord order = context.getBean(PostgresEventStore.class).publish(new OrderPlaced("42"));
			await().atMost(DEADLINE)
				.until(() -> count("SELECT count(*) FROM eventy_records WHERE name = 'InvoiceIssued'") == 1);
			assertThat(invoicing.calls).hasValue(2);
			assertThat(count("SELECT count(*) FROM invoices WHERE order_id = '42'")).isOne();
			assertThat(count("SELECT count(*) FROM eventy_records WHERE name = 'AuditNote'")).isOne();
			assertThat(this.jdbc.queryForObject("SELECT causation_id FROM eventy_records WHERE name = 'InvoiceIssued'",
					String.class))
				.isEqualTo(order.record().uuid().toString());
			assertThat(count("SELECT checkpoint_position FROM eventy_subscriptions WHERE name = 'invoicing.issue'"))
				.isGreaterThanOrEqualTo(order.position());
			await().during(Duration.ofMillis(300)).atMost(DEADLINE).until(() -> invoicing.calls.get() == 2);
		}
	}

	@Test
	void exactlyOnceWriteIsNotRepeatedWhenTheConnectionDiesBeforeTheCommit() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("invoicing", Invoicing.class, () -> new Invoicing(new JdbcTemplate(this.dataSource), release, 0))
			.start()) {
			Invoicing invoicing = context.getBean(Invoicing.class);
			invoicing.store = context.getBean(PostgresEventStore.class);
			context.getBean(PostgresEventStore.class).publish(new OrderPlaced("43"));
			await().atMost(DEADLINE).until(() -> invoicing.calls.get() == 1);
			assertThat(killTransactionsInProgress()).isOne();
			release.countDown();
			await().atMost(DEADLINE)
				.until(() -> count("SELECT count(*) FROM eventy_records WHERE name = 'InvoiceIssued'") == 1);
			assertThat(invoicing.calls).hasValue(2);
			assertThat(count("SELECT count(*) FROM invoices WHERE order_id = '43'")).isOne();
			assertThat(count("SELECT count(*) FROM eventy_records WHERE name = 'AuditNote'")).isOne();
		}
	}

	@Test
	void atLeastOnceRedeliversARecordWhenItsCheckpointCannotMoveAfterTheSideEffect() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("mailer", Mailer.class, () -> new Mailer(release))
			.start()) {
			Mailer mailer = context.getBean(Mailer.class);
			StoredRecord order = context.getBean(PostgresEventStore.class).publish(new OrderPlaced("44"));
			await().atMost(DEADLINE).until(() -> mailer.sent.size() == 1);
			assertThat(takeOverSegments()).isOne();
			release.countDown();
			// the worker found its checkpoint move refused, and left the segment
			await().atMost(DEADLINE).until(() -> !segmentThreadRuns("mailer.send"));
			assertThat(count("SELECT checkpoint_position FROM eventy_subscriptions WHERE name = 'mailer.send'"))
				.isZero();
			handBackSegments();
			await().atMost(DEADLINE).until(() -> mailer.sent.size() == 2);
			assertThat(mailer.sent).containsExactly(order.record().uuid(), order.record().uuid());
			await().atMost(DEADLINE)
				.until(() -> count(
						"SELECT checkpoint_position FROM eventy_subscriptions WHERE name = 'mailer.send'") == order
							.position());
		}
	}

	@Test
	void atMostOnceNeverRepeatsARecordWhenItsSegmentIsTakenOverDuringTheHandler() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("notifier", Notifier.class, () -> new Notifier(release))
			.start()) {
			Notifier notifier = context.getBean(Notifier.class);
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			store.publish(new OrderPlaced("45"));
			await().atMost(DEADLINE).until(() -> notifier.sent.size() == 1);
			assertThat(takeOverSegments()).isOne();
			release.countDown();
			await().atMost(DEADLINE).until(() -> !segmentThreadRuns("notifier.send"));
			handBackSegments();
			store.publish(new OrderPlaced("46"));
			await().atMost(DEADLINE).until(() -> notifier.sent.size() == 2);
			await().during(Duration.ofMillis(300)).atMost(DEADLINE).until(() -> notifier.sent.size() == 2);
			assertThat(notifier.sent).containsExactly("45", "46");
		}
	}

	@Test
	void atMostOnceHandlerThatFailsIsNotRetriedButDeadLettered() {
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("notifier", Notifier.class, () -> new Notifier(null))
			.start()) {
			Notifier notifier = context.getBean(Notifier.class);
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			store.publish(new OrderPlaced("fail"));
			store.publish(new OrderPlaced("47"));
			await().atMost(DEADLINE).until(() -> notifier.sent.contains("47"));
			assertThat(notifier.sent).containsExactly("fail", "47");
			assertThat(context.getBean(PostgresDeadLetters.class).list("notifier.send")).singleElement()
				.satisfies((letter) -> assertThat(letter.attempts()).isOne());
		}
	}

	@Test
	void atMostOnceRecordWhoseHandlerFailsWhileTheDatabaseIsAwayBecomesADeadLetterWhenItIsBack() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		try (LogCapture log = LogCapture.start();
				AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
					.bean("pager", Pager.class, () -> new Pager(release, 1))
					.start()) {
			Pager pager = context.getBean(Pager.class);
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			StoredRecord failing = store.publish(new OrderPlaced("48"));
			// the checkpoint is past the record once its handler runs
			await().atMost(DEADLINE).until(() -> pager.paged.size() == 1);
			allowConnections(false);
			try {
				release.countDown();
				await().atMost(DEADLINE)
					.until(() -> !log.lines(Level.WARN, "eventy-subscription-pager.page").isEmpty());
			}
			finally {
				allowConnections(true);
			}
			await().atMost(DEADLINE)
				.until(() -> context.getBean(PostgresDeadLetters.class).list("pager.page"),
						(letters) -> !letters.isEmpty());
			assertThat(context.getBean(PostgresDeadLetters.class).list("pager.page")).singleElement()
				.satisfies((letter) -> {
					assertThat(letter.record().position()).isEqualTo(failing.position());
					assertThat(letter.attempts()).isOne();
					assertThat(letter.lastError()).contains("pager down");
				});
			store.publish(new OrderPlaced("49"));
			await().atMost(DEADLINE).until(() -> pager.paged.contains("49"));
			assertThat(pager.paged).containsExactly("48", "49");
		}
	}

	@Test
	void atMostOnceRecordWhoseDeadLetterTheDatabaseRefusedIsNamedWhenTheSubscriptionStopsBeforeItIsBack()
			throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		try (LogCapture log = LogCapture.start()) {
			StoredRecord failing;
			try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
				.bean("pager", Pager.class, () -> new Pager(release, 1))
				.start()) {
				Pager pager = context.getBean(Pager.class);
				failing = context.getBean(PostgresEventStore.class).publish(new OrderPlaced("50"));
				await().atMost(DEADLINE).until(() -> pager.paged.size() == 1);
				allowConnections(false);
				release.countDown();
				await().atMost(DEADLINE)
					.until(() -> !log.lines(Level.WARN, "eventy-subscription-pager.page").isEmpty());
			}
			finally {
				allowConnections(true);
			}
			assertThat(log.lines(Level.ERROR, "eventy-subscription-pager.page"))
				.filteredOn((line) -> line.getLoggerName().equals(DeadLettering.class.getName()))
				.singleElement()
				.satisfies((line) -> {
					assertThat(line.getFormattedMessage()).contains("stops without the dead letter")
						.contains("position " + failing.position())
						.contains(failing.record().uuid().toString());
					assertThat(line.getMDCPropertyMap()).containsEntry("traceId", failing.record().correlationId());
				});
		}
	}

	@Test
	void atMostOnceDeadLetterReDrivenWhileTheDatabaseIsAwayBecomesADeadLetterAgainWhenItIsBack() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		try (LogCapture log = LogCapture.start();
				AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
					.bean("pager", Pager.class, () -> new Pager(release, 2))
					.start()) {
			Pager pager = context.getBean(Pager.class);
			PostgresDeadLetters deadLetters = context.getBean(PostgresDeadLetters.class);
			StoredRecord failing = context.getBean(PostgresEventStore.class).publish(new OrderPlaced("51"));
			await().atMost(DEADLINE).until(() -> deadLetters.list("pager.page"), (letters) -> letters.size() == 1);
			assertThat(deadLetters.redrive("pager.page")).isOne();
			// the dead letter is gone once its handler runs again
			await().atMost(DEADLINE).until(() -> pager.paged.size() == 2);
			allowConnections(false);
			try {
				release.countDown();
				await().atMost(DEADLINE)
					.until(() -> !log.lines(Level.WARN, "eventy-subscription-pager.page").isEmpty());
			}
			finally {
				allowConnections(true);
			}
			await().atMost(DEADLINE).until(() -> deadLetters.list("pager.page"), (letters) -> !letters.isEmpty());
			assertThat(deadLetters.list("pager.page")).singleElement().satisfies((letter) -> {
				assertThat(letter.record().position()).isEqualTo(failing.position());
				assertThat(letter.attempts()).isEqualTo(2);
			});
		}
	}

	private long count(String sql) {
		Long value = this.jdbc.queryForObject(sql, Long.class);
		return (value != null) ? value : -1;
	}

	/**
	 * Let connections to the test's database in or not, as when its server goes away (the
	 * open ones are cut) and comes back.
	 */
	private void allowConnections(boolean allow) {
		JdbcTemplate server = new JdbcTemplate(PostgresTestDatabase.defaultDataSource());
		String database = this.dataSource.getDatabaseName();
		server.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS " + allow);
		if (!allow) {
			server.queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ?", database);
		}
	}

	/**
	 * Kill the connections of transactions in progress, as when the database loses them.
	 */
	private int killTransactionsInProgress() throws Exception {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT count(pg_terminate_backend(pid)) "
						+ "FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'")) {
			result.next();
			return result.getInt(1);
		}
	}

	/**
	 * Give every segment to an instance that does not run, as when another instance
	 * claims them after this one's lease ran out.
	 */
	private int takeOverSegments() {
		return this.jdbc.update("UPDATE eventy_subscriptions SET owner = 'another-instance', "
				+ "owned_until = now() + interval '1 hour'");
	}

	private static boolean segmentThreadRuns(String subscription) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.anyMatch((thread) -> thread.getName().equals("eventy-subscription-" + subscription) && thread.isAlive());
	}

	/**
	 * Free the segments that instance took, as when it stops.
	 */
	private void handBackSegments() {
		this.jdbc.update("UPDATE eventy_subscriptions SET owner = NULL, owned_until = NULL "
				+ "WHERE owner = 'another-instance'");
	}

	@RecordType(namespace = "urn:shop")
	record OrderPlaced(String orderId) {
	}

	@RecordType(namespace = "urn:shop")
	record InvoiceIssued(String orderId) {
	}

	@RecordType(namespace = "urn:shop")
	record AuditNote(String text) {
	}

	static class Invoicing {

		final AtomicInteger calls = new AtomicInteger();

		private final JdbcTemplate jdbc;

		private final CountDownLatch release;

		private final int failures;

		volatile EventStore store;

		Invoicing(JdbcTemplate jdbc, CountDownLatch release, int failures) {
			this.jdbc = jdbc;
			this.release = release;
			this.failures = failures;
		}

		@EventHandler(guarantee = Guarantee.EXACTLY_ONCE)
		InvoiceIssued issue(OrderPlaced event) throws InterruptedException {
			int call = this.calls.incrementAndGet();
			this.jdbc.update("INSERT INTO invoices (order_id) VALUES (?)", event.orderId());
			this.store.publish(new AuditNote("invoiced " + event.orderId()));
			if (call <= this.failures) {
				throw new IllegalStateException("failing after the writes, call " + call);
			}
			if (this.release != null && call == 1) {
				assertThat(this.release.await(10, TimeUnit.SECONDS)).isTrue();
			}
			return new InvoiceIssued(event.orderId());
		}

	}

	static class Mailer {

		final List<UUID> sent = new CopyOnWriteArrayList<>();

		private final CountDownLatch release;

		Mailer(CountDownLatch release) {
			this.release = release;
		}

		@EventHandler
		void send(OrderPlaced event, StoredRecord record) throws InterruptedException {
			this.sent.add(record.record().uuid());
			if (this.sent.size() == 1) {
				assertThat(this.release.await(10, TimeUnit.SECONDS)).isTrue();
			}
		}

	}

	static class Notifier {

		final List<String> sent = new CopyOnWriteArrayList<>();

		private final CountDownLatch release;

		Notifier(CountDownLatch release) {
			this.release = release;
		}

		@EventHandler(guarantee = Guarantee.AT_MOST_ONCE)
		void send(OrderPlaced event) throws InterruptedException {
			this.sent.add(event.orderId());
			if (event.orderId().equals("fail")) {
				throw new IllegalStateException("mail server down");
			}
			if (this.release != null && this.sent.size() == 1) {
				assertThat(this.release.await(10, TimeUnit.SECONDS)).isTrue();
			}
		}

	}

	static class Pager {

		final List<String> paged = new CopyOnWriteArrayList<>();

		private final CountDownLatch release;

		private final int failingCalls;

		/**
		 * A pager whose first calls fail, the last of them after the latch opens.
		 */
		Pager(CountDownLatch release, int failingCalls) {
			this.release = release;
			this.failingCalls = failingCalls;
		}

		@EventHandler(guarantee = Guarantee.AT_MOST_ONCE)
		void page(OrderPlaced event) throws InterruptedException {
			this.paged.add(event.orderId());
			int call = this.paged.size();
			if (call == this.failingCalls) {
				assertThat(this.release.await(10, TimeUnit.SECONDS)).isTrue();
			}
			if (call <= this.failingCalls) {
				throw new IllegalStateException("pager down");
			}
		}

	}

}
