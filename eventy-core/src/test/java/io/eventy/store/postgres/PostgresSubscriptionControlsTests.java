package io.eventy.store.postgres;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import ch.qos.logback.classic.Level;
import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import io.eventy.handler.ResetTo;
import io.eventy.handler.SubscriptionState;
import io.eventy.handler.SubscriptionStatus;
import io.eventy.handler.UnknownSubscriptionException;
import io.eventy.record.RecordType;
import io.eventy.store.StoredRecord;
import io.eventy.testsupport.LogCapture;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link PostgresSubscriptionControls} on a real PostgreSQL, with application
 * contexts that share the database as the instances of a service do.
 */
class PostgresSubscriptionControlsTests {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private final PGSimpleDataSource dataSource = PostgresHandlerFixture.database();

	private final JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);

	@Test
	void listsEverySubscriptionWithItsStateCheckpointLagRateDeadLettersAndLastError() {
		Handled handled = new Handled();
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("orders", Orders.class, () -> new Orders(handled))
			.bean("failing", Failing.class)
			.start()) {
			List<StoredRecord> written = publish(context, 3);
			long last = written.get(2).position();
			PostgresSubscriptionControls controls = context.getBean(PostgresSubscriptionControls.class);
			await().atMost(DEADLINE)
				.until(() -> handled.uuids.size() == 3 && controls.get("failing").deadLetters() == 3
						&& controls.list().stream().allMatch((status) -> status.lag() == 0));
			String instance = context.getBean(PostgresSubscriptions.class).instanceId();

			List<SubscriptionStatus> statuses = controls.list();
			assertThat(statuses).extracting(SubscriptionStatus::name).containsExactly("failing", "orders");
			SubscriptionStatus orders = statuses.get(1);
			assertThat(orders.store()).isEqualTo("postgres");
			assertThat(orders.guarantee()).isEqualTo(Guarantee.AT_LEAST_ONCE);
			assertThat(orders.segments()).isEqualTo(1);
			assertThat(orders.state()).isEqualTo(SubscriptionState.RUNNING);
			assertThat(orders.checkpoints()).containsExactly(new SubscriptionStatus.Checkpoint("0", last, 0, instance));
			assertThat(orders.lag()).isZero();
			assertThat(orders.rate()).isPositive();
			assertThat(orders.deadLetters()).isZero();
			assertThat(orders.lastError()).isNull();
			assertThat(orders.lastErrorAt()).isNull();

			SubscriptionStatus failing = statuses.get(0);
			assertThat(failing.guarantee()).isEqualTo(Guarantee.EXACTLY_ONCE);
			assertThat(failing.state()).isEqualTo(SubscriptionState.RUNNING);
			assertThat(failing.checkpoints()).singleElement()
				.satisfies((checkpoint) -> assertThat(checkpoint.position()).isEqualTo(last));
			assertThat(failing.rate()).isZero();
			assertThat(failing.deadLetters()).isEqualTo(3);
			assertThat(failing.lastError()).isEqualTo("java.lang.IllegalStateException: boom");
			assertThat(failing.lastErrorAt()).isBetween(Instant.now().minusSeconds(60), Instant.now());
			// the rate is measured again at each call
			assertThat(controls.get("orders")).usingRecursiveComparison().ignoringFields("rate").isEqualTo(orders);

			assertThatThrownBy(() -> controls.get("nope")).isInstanceOf(UnknownSubscriptionException.class)
				.hasMessage("No subscription named 'nope' in this service");
			assertThatThrownBy(() -> controls.pause("nope")).isInstanceOf(UnknownSubscriptionException.class);
			assertThatThrownBy(() -> controls.reset("nope", ResetTo.earliest()))
				.isInstanceOf(UnknownSubscriptionException.class);

			context.getBean(PostgresSubscriptions.class).stop();
			assertThat(controls.get("orders").state()).isEqualTo(SubscriptionState.STOPPED);
		}
	}

	@Test
	void aSubscriptionMoreThanABatchBehindIsCatchingUp() {
		Handled handled = new Handled();
		Gate gate = new Gate(0);
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("slow", Slow.class, () -> new Slow(handled, gate))
			.start()) {
			publish(context, 150);
			PostgresSubscriptionControls controls = context.getBean(PostgresSubscriptionControls.class);
			gate.awaitBlocked();
			assertThat(controls.get("slow").state()).isEqualTo(SubscriptionState.CATCHING_UP);
			assertThat(controls.get("slow").lag()).isEqualTo(150);
			gate.open();
			await().atMost(DEADLINE).until(() -> controls.get("slow").state() == SubscriptionState.RUNNING);
		}
	}

	@Test
	void logsTheProgressOfASubscriptionThatCatchesUp() {
		try (PostgresEventStore store = PostgresHandlerFixture.store(this.dataSource)) {
			for (int i = 0; i < 300; i++) {
				store.publish(new OrderPlaced("o-" + i));
			}
		}
		Handled handled = new Handled();
		try (LogCapture logs = LogCapture.start();
				AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
					.options(PostgresHandlerFixture.fastOptions().withBatchSize(10))
					.progressInterval(Duration.ofMillis(1))
					.bean("orders", Orders.class, () -> new Orders(handled))
					.start()) {
			await().atMost(DEADLINE).until(() -> handled.uuids.size() == 300);
			assertThat(logs.lines(Level.INFO, "eventy-subscription-orders"))
				.extracting((line) -> line.getFormattedMessage())
				.filteredOn((line) -> line.startsWith("Subscription 'orders' catches up"))
				.isNotEmpty()
				.allSatisfy((line) -> assertThat(line).matches("Subscription 'orders' catches up: at position \\d+, "
						+ "\\d+ records behind, \\d+ records/s, (caught up in about [0-9.hms]+|not moving)"));
		}
	}

	@Test
	void pauseFromOneInstanceHoldsAnotherOneAndOutlivesItsRestartUntilResumed() {
		Handled handled = new Handled();
		List<StoredRecord> written = new ArrayList<>();
		try (AnnotationConfigApplicationContext running = orders(handled)) {
			await().atMost(DEADLINE).until(() -> instance(running).equals(owner("orders")));
			try (AnnotationConfigApplicationContext operator = orders(handled)) {
				written.addAll(publish(running, 2));
				await().atMost(DEADLINE).until(() -> handled.uuids.size() == 2);
				PostgresSubscriptionControls controls = operator.getBean(PostgresSubscriptionControls.class);
				try (LogCapture logs = LogCapture.start()) {
					controls.pause("orders");
					assertThat(logs.lines(Level.INFO, ""))
						.anySatisfy((line) -> assertThat(line.getFormattedMessage()).isEqualTo(
								"Subscription 'orders' paused on every instance, from instance " + instance(operator)));
				}
				assertThat(controls.get("orders").state()).isEqualTo(SubscriptionState.PAUSED);
				assertThat(owner("orders")).isEqualTo(instance(running));
				written.addAll(publish(running, 3));
				await().during(Duration.ofSeconds(1)).atMost(DEADLINE).until(() -> handled.uuids.size() == 2);
			}
		}
		try (AnnotationConfigApplicationContext restarted = orders(handled)) {
			await().atMost(DEADLINE).until(() -> instance(restarted).equals(owner("orders")));
			await().during(Duration.ofSeconds(1)).atMost(DEADLINE).until(() -> handled.uuids.size() == 2);
			PostgresSubscriptionControls controls = restarted.getBean(PostgresSubscriptionControls.class);
			assertThat(controls.get("orders").state()).isEqualTo(SubscriptionState.PAUSED);
			controls.resume("orders");
			await().atMost(DEADLINE).until(() -> handled.uuids.size() == 5);
			assertThat(handled.uuids).containsExactlyElementsOf(uuids(written));
			assertThat(controls.get("orders").state()).isNotEqualTo(SubscriptionState.PAUSED);
		}
	}

	@Test
	void pauseFromAnotherInstanceHoldsASlowBatchAfterTheRecordAtHandOnceTheHeartbeatSeesIt() {
		Handled handled = new Handled();
		Gate gate = new Gate(2);
		try (LogCapture logs = LogCapture.start();
				AnnotationConfigApplicationContext running = slow(Slow.class, handled, gate)) {
			await().atMost(DEADLINE).until(() -> instance(running).equals(owner("slow")));
			try (AnnotationConfigApplicationContext operator = slow(Slow.class, handled, gate)) {
				List<StoredRecord> written = publish(running, 10);
				gate.awaitBlocked();
				controls(operator).pause("slow");
				await().atMost(DEADLINE)
					.until(() -> logs.lines(Level.INFO, "eventy-subscription-segments")
						.stream()
						.anyMatch((line) -> line.getFormattedMessage()
							.equals("Subscription 'slow' was paused from another instance; its segments here hold "
									+ "after the record at hand")));
				gate.open();
				await().atMost(DEADLINE).until(() -> checkpoint("slow") == written.get(2).position());
				await().during(Duration.ofMillis(500)).atMost(DEADLINE).until(() -> handled.uuids.size() == 3);
				assertThat(handled.uuids).containsExactlyElementsOf(uuids(written.subList(0, 3)));
				controls(operator).resume("slow");
				await().atMost(DEADLINE).until(() -> handled.uuids.size() == 10);
				assertThat(handled.uuids).containsExactlyElementsOf(uuids(written));
			}
		}
	}

	@Test
	void resumeOnOneInstanceWakesThePausedWorkersOfAnotherBeforeTheirPollInterval() {
		Handled handled = new Handled();
		try (AnnotationConfigApplicationContext running = PostgresHandlerFixture.context(this.dataSource)
			.options(PostgresHandlerFixture.fastOptions().withPollInterval(Duration.ofMinutes(1)))
			.bean("orders", Orders.class, () -> new Orders(handled))
			.start()) {
			await().atMost(DEADLINE).until(() -> instance(running).equals(owner("orders")));
			try (AnnotationConfigApplicationContext operator = orders(handled)) {
				PostgresSubscriptionControls controls = operator.getBean(PostgresSubscriptionControls.class);
				controls.pause("orders");
				List<StoredRecord> written = publish(running, 2);
				await().during(Duration.ofMillis(500)).atMost(DEADLINE).until(() -> handled.uuids.isEmpty());
				controls.resume("orders");
				await().atMost(Duration.ofSeconds(10)).until(() -> handled.uuids.size() == 2);
				assertThat(handled.uuids).containsExactlyElementsOf(uuids(written));
			}
		}
	}

	@Test
	void resetToTheEarliestRecordReplaysEveryRecord() {
		Handled handled = new Handled();
		try (AnnotationConfigApplicationContext context = orders(handled)) {
			List<StoredRecord> written = publish(context, 5);
			await().atMost(DEADLINE).until(() -> handled.uuids.size() == 5);
			// the checkpoint follows the handler calls by up to a second; the reset's log
			// line names where it was
			await().atMost(DEADLINE).until(() -> checkpoint("orders") == written.get(4).position());
			try (LogCapture logs = LogCapture.start()) {
				controls(context).reset("orders", ResetTo.earliest());
				assertThat(logs.lines(Level.INFO, "")).anySatisfy((line) -> assertThat(line.getFormattedMessage())
					.isEqualTo("Subscription 'orders' reset to the earliest record from instance " + instance(context)
							+ ": it goes on after position 0 (it was at [" + written.get(4).position() + "])"));
				await().atMost(DEADLINE).until(() -> handled.uuids.size() == 10);
				await().atMost(DEADLINE)
					.until(() -> logs.lines(Level.INFO, "")
						.stream()
						.anyMatch((line) -> line.getFormattedMessage()
							.equals("Subscription 'orders' caught up after its reset")));
			}
			List<UUID> twice = new ArrayList<>(uuids(written));
			twice.addAll(uuids(written));
			assertThat(handled.uuids).containsExactlyElementsOf(twice);
			await().atMost(DEADLINE).until(() -> checkpoint("orders") == written.get(4).position());
		}
	}

	@Test
	void resetToTheLatestRecordSkipsTheRecordsStoredSoFar() {
		Handled handled = new Handled();
		try (AnnotationConfigApplicationContext context = orders(handled)) {
			List<StoredRecord> before = publish(context, 2);
			await().atMost(DEADLINE).until(() -> handled.uuids.size() == 2);
			PostgresSubscriptionControls controls = controls(context);
			controls.pause("orders");
			List<StoredRecord> skipped = publish(context, 3);
			controls.reset("orders", ResetTo.latest());
			assertThat(checkpoint("orders")).isEqualTo(skipped.get(2).position());
			controls.resume("orders");
			List<StoredRecord> after = publish(context, 1);
			await().atMost(DEADLINE).until(() -> handled.uuids.size() == 3);
			await().during(Duration.ofMillis(500)).atMost(DEADLINE).until(() -> handled.uuids.size() == 3);
			List<UUID> expected = new ArrayList<>(uuids(before));
			expected.addAll(uuids(after));
			assertThat(handled.uuids).containsExactlyElementsOf(expected);
		}
	}

	@Test
	void resetToAPositionHandlesTheRecordsAfterIt() {
		Handled handled = new Handled();
		try (AnnotationConfigApplicationContext context = orders(handled)) {
			List<StoredRecord> written = publish(context, 5);
			await().atMost(DEADLINE).until(() -> handled.uuids.size() == 5);
			controls(context).reset("orders", ResetTo.position(written.get(2).position()));
			await().atMost(DEADLINE).until(() -> handled.uuids.size() == 7);
			assertThat(handled.uuids.subList(5, 7)).containsExactlyElementsOf(uuids(written.subList(3, 5)));
		}
	}

	@Test
	void resetToATimeHandlesTheRecordsRecordedFromThen() {
		Handled handled = new Handled();
		try (AnnotationConfigApplicationContext context = orders(handled)) {
			List<StoredRecord> written = new ArrayList<>(publish(context, 3));
			await().atMost(DEADLINE).until(() -> handled.uuids.size() == 3);
			written.addAll(publish(context, 2));
			await().atMost(DEADLINE).until(() -> handled.uuids.size() == 5);
			Timestamp recordedAt = this.jdbc.queryForObject("SELECT recorded_at FROM eventy_records WHERE position = ?",
					Timestamp.class, written.get(3).position());
			controls(context).reset("orders", ResetTo.time(recordedAt.toInstant()));
			await().atMost(DEADLINE).until(() -> handled.uuids.size() == 7);
			assertThat(handled.uuids.subList(5, 7)).containsExactlyElementsOf(uuids(written.subList(3, 5)));

			controls(context).reset("orders", ResetTo.time(Instant.now().plusSeconds(3600)));
			assertThat(checkpoint("orders")).isEqualTo(written.get(4).position());
		}
	}

	@Test
	void resetFromAnotherInstanceWhileASlowHandlerIsInTheMiddleOfABatchIsNotOverwritten() {
		resetWhileInTheMiddleOfABatch(Slow.class);
	}

	@Test
	void resetFromAnotherInstanceWhileAnExactlyOnceHandlerIsInTheMiddleOfABatchIsNotOverwritten() {
		resetWhileInTheMiddleOfABatch(SlowExactlyOnce.class);
	}

	private void resetWhileInTheMiddleOfABatch(Class<? extends SlowHandler> type) {
		Handled handled = new Handled();
		Gate gate = new Gate(2);
		try (AnnotationConfigApplicationContext running = slow(type, handled, gate)) {
			await().atMost(DEADLINE).until(() -> instance(running).equals(owner("slow")));
			try (AnnotationConfigApplicationContext operator = slow(type, handled, gate)) {
				List<StoredRecord> written = publish(running, 10);
				gate.awaitBlocked();
				controls(operator).reset("slow", ResetTo.earliest());
				assertThat(checkpoint("slow")).isZero();
				gate.open();
				await().atMost(DEADLINE)
					.until(() -> checkpoint("slow") == written.get(9).position() && owner("slow") != null
							&& handled.uuids.containsAll(uuids(written)));
				// replayed from the start, not gone on from where the batch ended
				UUID first = written.get(0).record().uuid();
				await().atMost(DEADLINE).until(() -> Collections.frequency(handled.uuids, first) == 2);
				await().during(Duration.ofMillis(500))
					.atMost(DEADLINE)
					.until(() -> checkpoint("slow") == written.get(9).position()
							&& Collections.frequency(handled.uuids, first) == 2);
			}
		}
	}

	@Test
	void listsTheSubscriptionsThatLeftStateButNoInstanceRunsAndForgetsThemButNeverARunningOne() {
		Handled handled = new Handled();
		try (AnnotationConfigApplicationContext service = orders(handled);
				AnnotationConfigApplicationContext otherService = PostgresHandlerFixture.context(this.dataSource)
					.bean("other", Other.class)
					.start()) {
			List<StoredRecord> written = publish(service, 1);
			await().atMost(DEADLINE).until(() -> handled.uuids.size() == 1 && checkpoint("other") >= 0);
			this.jdbc.update("INSERT INTO eventy_subscriptions (name) VALUES ('renamed')");
			this.jdbc.update(
					"INSERT INTO eventy_dead_letters (subscription, position, uuid, attempts, last_error) "
							+ "VALUES ('deleted', ?, ?, 3, 'boom')",
					written.get(0).position(), written.get(0).record().uuid());
			this.jdbc.update(
					"INSERT INTO eventy_dead_letters (subscription, position, uuid, attempts, last_error) "
							+ "VALUES ('renamed', ?, ?, 3, 'boom')",
					written.get(0).position(), written.get(0).record().uuid());
			this.jdbc
				.update("INSERT INTO eventy_subscription_controls (name, paused) VALUES ('paused-and-gone', true)");
			PostgresSubscriptionControls controls = controls(service);

			assertThat(controls.abandoned()).containsExactly("deleted", "paused-and-gone", "renamed");

			assertThatIllegalStateException().isThrownBy(() -> controls.forget("other"))
				.withMessage("Subscription 'other' still runs on instance(s) " + instance(otherService)
						+ "; it is not abandoned");
			assertThatIllegalStateException().isThrownBy(() -> controls.forget("orders"))
				.withMessage("Subscription 'orders' is one of this service's handlers; it is not abandoned");
			try (LogCapture logs = LogCapture.start()) {
				controls.forget("renamed");
				assertThat(logs.lines(Level.INFO, "")).anySatisfy((line) -> assertThat(line.getFormattedMessage())
					.isEqualTo("Forgot abandoned subscription 'renamed' from instance " + instance(service)
							+ ": 1 checkpoint row(s), 1 dead letter(s)"));
			}
			controls.forget("deleted");
			controls.forget("paused-and-gone");
			assertThat(controls.abandoned()).isEmpty();
			assertThat(this.jdbc.queryForObject("SELECT count(*) FROM eventy_records", Long.class)).isOne();
			assertThat(
					this.jdbc.queryForList("SELECT DISTINCT name FROM eventy_subscriptions ORDER BY 1", String.class))
				.containsExactly("orders", "other");
			assertThat(this.jdbc.queryForObject("SELECT count(*) FROM eventy_dead_letters", Long.class)).isZero();

			otherService.close();
			assertThat(controls.abandoned()).containsExactly("other");
			controls.forget("other");
			assertThat(checkpoint("other")).isEqualTo(-1);
		}
	}

	private AnnotationConfigApplicationContext orders(Handled handled) {
		return PostgresHandlerFixture.context(this.dataSource)
			.bean("orders", Orders.class, () -> new Orders(handled))
			.start();
	}

	private AnnotationConfigApplicationContext slow(Class<? extends SlowHandler> type, Handled handled, Gate gate) {
		if (type == SlowExactlyOnce.class) {
			return PostgresHandlerFixture.context(this.dataSource)
				.bean("slow", SlowExactlyOnce.class, () -> new SlowExactlyOnce(handled, gate))
				.start();
		}
		return PostgresHandlerFixture.context(this.dataSource)
			.bean("slow", Slow.class, () -> new Slow(handled, gate))
			.start();
	}

	private static PostgresSubscriptionControls controls(AnnotationConfigApplicationContext context) {
		return context.getBean(PostgresSubscriptionControls.class);
	}

	private static String instance(AnnotationConfigApplicationContext context) {
		return context.getBean(PostgresSubscriptions.class).instanceId();
	}

	private static List<StoredRecord> publish(AnnotationConfigApplicationContext context, int count) {
		PostgresEventStore store = context.getBean(PostgresEventStore.class);
		List<StoredRecord> written = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			written.add(store.publish(new OrderPlaced("o-" + i)));
		}
		return written;
	}

	private static List<UUID> uuids(List<StoredRecord> records) {
		return records.stream().map((record) -> record.record().uuid()).toList();
	}

	private String owner(String subscription) {
		List<String> owners = this.jdbc.queryForList(
				"SELECT owner FROM eventy_subscriptions WHERE name = ? AND owned_until > clock_timestamp()",
				String.class, subscription);
		return owners.isEmpty() ? null : owners.get(0);
	}

	private long checkpoint(String subscription) {
		List<Long> positions = this.jdbc.queryForList(
				"SELECT checkpoint_position FROM eventy_subscriptions WHERE name = ?", Long.class, subscription);
		return positions.isEmpty() ? -1 : positions.get(0);
	}

	@RecordType(namespace = "urn:shop")
	record OrderPlaced(String orderId) {
	}

	static final class Handled {

		final List<UUID> uuids = new CopyOnWriteArrayList<>();

	}

	/**
	 * Holds the handler at one record, the first time any instance handles it.
	 */
	static final class Gate {

		private final int index;

		private final AtomicBoolean used = new AtomicBoolean();

		private final CountDownLatch blocked = new CountDownLatch(1);

		private final CountDownLatch open = new CountDownLatch(1);

		private int seen;

		Gate(int index) {
			this.index = index;
		}

		synchronized boolean holds() {
			return this.seen++ == this.index && this.used.compareAndSet(false, true);
		}

		void pass() {
			this.blocked.countDown();
			try {
				if (!this.open.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
					throw new IllegalStateException("The gate was never opened");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		void awaitBlocked() {
			try {
				assertThat(this.blocked.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		void open() {
			this.open.countDown();
		}

	}

	static class Orders {

		private final Handled handled;

		Orders(Handled handled) {
			this.handled = handled;
		}

		@EventHandler(subscription = "orders")
		void on(OrderPlaced event, StoredRecord record) {
			this.handled.uuids.add(record.record().uuid());
		}

	}

	static class Other {

		@EventHandler(subscription = "other")
		void on(OrderPlaced event) {
		}

	}

	static class Failing {

		@EventHandler(subscription = "failing", guarantee = Guarantee.EXACTLY_ONCE)
		void on(OrderPlaced event) {
			throw new IllegalStateException("boom");
		}

	}

	abstract static class SlowHandler {

		private final Handled handled;

		private final Gate gate;

		SlowHandler(Handled handled, Gate gate) {
			this.handled = handled;
			this.gate = gate;
		}

		void handle(StoredRecord record) {
			if (this.gate.holds()) {
				this.gate.pass();
			}
			this.handled.uuids.add(record.record().uuid());
		}

	}

	static class Slow extends SlowHandler {

		Slow(Handled handled, Gate gate) {
			super(handled, gate);
		}

		@EventHandler(subscription = "slow")
		void on(OrderPlaced event, StoredRecord record) {
			handle(record);
		}

	}

	static class SlowExactlyOnce extends SlowHandler {

		SlowExactlyOnce(Handled handled, Gate gate) {
			super(handled, gate);
		}

		@EventHandler(subscription = "slow", guarantee = Guarantee.EXACTLY_ONCE)
		void on(OrderPlaced event, StoredRecord record) {
			handle(record);
		}

	}

}
