package io.eventy.store.postgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import io.eventy.handler.ChildJvm;
import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import io.eventy.handler.HandlerOnlyApplication;
import io.eventy.record.RecordType;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.testsupport.LogCapture;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Subscriptions split into segments that instances share, and subscriptions that never
 * keep a transaction open around a handler that does not need one.
 */
class PostgresSegmentsTests {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private static final String SHIPPING = "shipping.on";

	private final PGSimpleDataSource dataSource = PostgresHandlerFixture.database();

	private final JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);

	PostgresSegmentsTests() {
		this.jdbc.execute("CREATE TABLE shipments (seq bigint GENERATED ALWAYS AS IDENTITY, uuid uuid NOT NULL, "
				+ "stream text NOT NULL, version bigint NOT NULL, instance text NOT NULL)");
	}

	@Test
	void twoInstancesShareEightSegmentsAndHandleEachRecordOnceInStreamOrder() {
		try (AnnotationConfigApplicationContext first = instance("first", 8, 0);
				AnnotationConfigApplicationContext second = instance("second", 8, 0)) {
			await().atMost(DEADLINE)
				.until(() -> owners(SHIPPING) == 2 && segmentsOwnedBy("first") == 4 && segmentsOwnedBy("second") == 4);
			List<UUID> written = appendToStreams(first.getBean(PostgresEventStore.class), 24, 10);
			await().atMost(DEADLINE).until(() -> count("SELECT count(*) FROM shipments") >= written.size());
			assertEachHandledOnceInStreamOrder(written);
			assertThat(count("SELECT count(DISTINCT instance) FROM shipments")).isEqualTo(2);
		}
	}

	@Test
	void anInstanceStoppedMidStreamHandsItsSegmentsOverWithNothingLost() {
		try (AnnotationConfigApplicationContext second = instance("second", 8, 5)) {
			List<UUID> written;
			try (AnnotationConfigApplicationContext first = instance("first", 8, 5)) {
				await().atMost(DEADLINE).until(() -> segmentsOwnedBy("first") == 4 && segmentsOwnedBy("second") == 4);
				written = appendToStreams(first.getBean(PostgresEventStore.class), 16, 25);
				await().atMost(DEADLINE)
					.until(() -> count("SELECT count(*) FROM shipments WHERE instance = 'first'") > 20);
			}
			long stoppedAt = System.nanoTime();
			await().atMost(Duration.ofSeconds(5)).until(() -> segmentsOwnedBy("second") == 8);
			assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(Duration.ofSeconds(5));
			await().atMost(DEADLINE).until(() -> count("SELECT count(*) FROM shipments") >= written.size());
			assertEachHandledOnceInStreamOrder(written);
		}
	}

	@Test
	void theSegmentsOfAKilledInstanceAreTakenOverWhenItsLeaseRunsOut() throws Exception {
		String subscription = "orders.onOrderPlaced";
		try (ChildJvm child = ChildJvm.start(HandlerOnlyApplication.class, "postgres", this.dataSource.getURL(),
				this.dataSource.getUser(), "4")) {
			await().atMost(DEADLINE)
				.until(() -> count("SELECT count(*) FROM eventy_subscriptions WHERE name = '" + subscription
						+ "' AND owner = 'child-jvm'") == 4);
			child.kill();
			assertThat(child.waitFor(DEADLINE)).isTrue();
		}
		Orders orders = new Orders();
		try (AnnotationConfigApplicationContext survivor = PostgresHandlerFixture.context(this.dataSource)
			.postgresOptions(options("survivor", 4, Duration.ofSeconds(1)))
			.bean("orders", Orders.class, () -> orders)
			.start()) {
			PostgresEventStore store = survivor.getBean(PostgresEventStore.class);
			for (int i = 0; i < 20; i++) {
				store.publish(new HandlerOnlyApplication.OrderPlaced("o-" + i));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> segmentsOwnedBy("survivor") == 4);
			await().atMost(DEADLINE).until(() -> orders.handled.size() == 20);
		}
	}

	@Test
	void aShortIdleInTransactionTimeoutStallsNoGuarantee() {
		this.jdbc.execute("ALTER DATABASE " + this.jdbc.queryForObject("SELECT current_database()", String.class)
				+ " SET idle_in_transaction_session_timeout = '1s'");
		Slow slow = new Slow(this.jdbc);
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("slow", Slow.class, () -> slow)
			.start()) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			List<UUID> written = new ArrayList<>();
			for (int i = 0; i < 108; i++) {
				written.add(store.publish(new Parcel("p-" + i)).record().uuid());
			}
			await().atMost(DEADLINE)
				.until(() -> slow.atLeastOnce.size() >= 108 && slow.atMostOnce.size() >= 108
						&& count("SELECT count(*) FROM shipments") >= 108);
			assertThat(slow.atLeastOnce).containsExactlyElementsOf(written);
			assertThat(slow.atMostOnce).containsExactlyElementsOf(written);
			assertThat(this.jdbc.queryForList("SELECT uuid FROM shipments ORDER BY seq", UUID.class))
				.containsExactlyElementsOf(written);
		}
	}

	@Test
	void aSubscriptionOfOneSegmentSplitsIntoFourAtItsCheckpoint() {
		List<UUID> written = new ArrayList<>();
		try (AnnotationConfigApplicationContext single = instance("single", 1, 0)) {
			written.addAll(appendToStreams(single.getBean(PostgresEventStore.class), 5, 2));
			await().atMost(DEADLINE).until(() -> count("SELECT count(*) FROM shipments") >= 10);
		}
		try (LogCapture logs = LogCapture.start(); AnnotationConfigApplicationContext split = instance("split", 4, 0)) {
			await().atMost(DEADLINE).until(() -> segmentsOwnedBy("split") == 4);
			assertThat(logs.lines(Level.INFO, "")).anySatisfy((line) -> assertThat(line.getFormattedMessage())
				.isEqualTo("Subscription 'shipping.on' has 4 segment(s) now instead of 1"));
			written.addAll(appendToStreams(split.getBean(PostgresEventStore.class), 5, 2, 2));
			await().atMost(DEADLINE).until(() -> count("SELECT count(*) FROM shipments") >= 20);
			assertEachHandledOnceInStreamOrder(written);
			assertThat(count("SELECT count(*) FROM shipments WHERE instance = 'split'")).isEqualTo(10);
		}
	}

	@Test
	void aChangeOfSegmentsWaitsWhileTheCheckpointsDiffer() {
		try (AnnotationConfigApplicationContext four = instance("four", 4, 0)) {
			appendToStreams(four.getBean(PostgresEventStore.class), 8, 1);
			await().atMost(DEADLINE).until(() -> count("SELECT count(*) FROM shipments") >= 8);
		}
		this.jdbc.update("UPDATE eventy_subscriptions SET checkpoint_position = 1 WHERE segment = 0");
		try (LogCapture logs = LogCapture.start(); AnnotationConfigApplicationContext two = instance("two", 2, 0)) {
			await().atMost(DEADLINE).until(() -> segmentsOwnedBy("two") == 4);
			assertThat(logs.lines(Level.WARN, "")).anySatisfy((line) -> assertThat(line.getFormattedMessage())
				.startsWith("Subscription 'shipping.on' keeps its 4 segment(s) instead of the 2 configured, "
						+ "because its segments' checkpoints differ"));
		}
	}

	@Test
	void aSegmentThatCannotReachItsTablesIsReportedStalledUntilItMovesAgain() {
		try (LogCapture logs = LogCapture.start();
				AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
					.postgresOptions(options("only", 1, Duration.ofSeconds(2)).withStallTimeout(Duration.ofSeconds(1)))
					.bean("shipping", Shipping.class, () -> new Shipping("only", this.jdbc, 0))
					.start()) {
			PostgresSubscriptions subscriptions = context.getBean(PostgresSubscriptions.class);
			await().atMost(DEADLINE).until(() -> segmentsOwnedBy("only") == 1);
			this.jdbc.execute("ALTER TABLE eventy_records RENAME TO eventy_records_away");
			try {
				await().atMost(DEADLINE).until(() -> !subscriptions.stalls().isEmpty());
				assertThat(subscriptions.stalls()).singleElement().satisfies((stall) -> {
					assertThat(stall.subscription()).isEqualTo(SHIPPING);
					assertThat(stall.cause()).contains("eventy_records");
				});
				assertThat(logs.lines(Level.ERROR, "eventy-subscription-shipping.on")).singleElement()
					.satisfies((line) -> assertThat(line.getFormattedMessage())
						.startsWith("Subscription 'shipping.on' segment 0/1 is stalled: it has not moved for"));
			}
			finally {
				this.jdbc.execute("ALTER TABLE eventy_records_away RENAME TO eventy_records");
			}
			await().atMost(DEADLINE).until(() -> subscriptions.stalls().isEmpty());
			UUID uuid = appendToStreams(context.getBean(PostgresEventStore.class), 1, 1).get(0);
			await().atMost(DEADLINE)
				.until(() -> this.jdbc.queryForList("SELECT uuid FROM shipments", UUID.class).contains(uuid));
		}
	}

	@Test
	void theLagOfASubscriptionIsSummedOverItsSegments() {
		CountDownLatch release = new CountDownLatch(1);
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.postgresOptions(options("only", 4, Duration.ofSeconds(2)))
			.bean("stuck", Stuck.class, () -> new Stuck(release))
			.start()) {
			await().atMost(DEADLINE).until(() -> segmentsOwnedBy("only") == 4);
			appendToStreams(context.getBean(PostgresEventStore.class), 10, 1);
			PostgresSubscriptionMonitor monitor = new PostgresSubscriptionMonitor(this.dataSource,
					PostgresHandlerFixture.SETTINGS);
			await().atMost(DEADLINE)
				.until(() -> monitor.subscriptions()
					.stream()
					.anyMatch((lag) -> lag.subscription().equals("stuck.on") && lag.lag() == 10));
			assertThat(monitor.subscriptions()).singleElement()
				.satisfies((lag) -> assertThat(lag.checkpointPosition()).isZero());
			// before the context stops, which waits for its handlers
			release.countDown();
		}
		finally {
			release.countDown();
		}
	}

	private AnnotationConfigApplicationContext instance(String name, int segments, long millisPerRecord) {
		return PostgresHandlerFixture.context(this.dataSource)
			.postgresOptions(options(name, segments, Duration.ofSeconds(2)))
			.bean("shipping", Shipping.class, () -> new Shipping(name, this.jdbc, millisPerRecord))
			.start();
	}

	private static PostgresSubscriptionOptions options(String instance, int segments, Duration lease) {
		return PostgresSubscriptionOptions.defaults().withSegments(segments).withLease(lease).withInstanceId(instance);
	}

	private static List<UUID> appendToStreams(PostgresEventStore store, int streams, int versions) {
		return appendToStreams(store, streams, versions, 0);
	}

	/**
	 * Append to several streams, one version of each in turn, so that their records
	 * interleave.
	 */
	private static List<UUID> appendToStreams(PostgresEventStore store, int streams, int versions, int after) {
		List<UUID> written = new ArrayList<>();
		for (int version = after; version < after + versions; version++) {
			for (int i = 0; i < streams; i++) {
				StreamId stream = StreamId.of("parcel", "p-" + i);
				ExpectedVersion expected = (version == 0) ? ExpectedVersion.noStream()
						: ExpectedVersion.exactly(version);
				written.add(store.append(stream, expected, new Parcel("p-" + i)).records().get(0).record().uuid());
			}
		}
		return written;
	}

	private void assertEachHandledOnceInStreamOrder(List<UUID> written) {
		assertThat(this.jdbc.queryForList("SELECT uuid FROM shipments", UUID.class))
			.containsExactlyInAnyOrderElementsOf(written);
		List<Map<String, Object>> rows = this.jdbc.queryForList(
				"SELECT stream, array_agg(version ORDER BY seq)::text AS versions FROM shipments " + "GROUP BY stream");
		for (Map<String, Object> row : rows) {
			String versions = (String) row.get("versions");
			List<Long> handled = Arrays.stream(versions.substring(1, versions.length() - 1).split(","))
				.map(Long::parseLong)
				.toList();
			assertThat(handled).as("versions of %s in the order they were handled", row.get("stream")).isSorted();
		}
	}

	private long owners(String subscription) {
		return count("SELECT count(DISTINCT owner) FROM eventy_subscriptions WHERE name = '" + subscription
				+ "' AND owned_until > now()");
	}

	private long segmentsOwnedBy(String instance) {
		return count("SELECT count(*) FROM eventy_subscriptions WHERE owner = '" + instance
				+ "' AND owned_until > clock_timestamp()");
	}

	private long count(String sql) {
		Long value = this.jdbc.queryForObject(sql, Long.class);
		return (value != null) ? value : -1;
	}

	@RecordType(namespace = "urn:shop")
	record Parcel(String id) {
	}

	static class Shipping {

		private final String instance;

		private final JdbcTemplate jdbc;

		private final long millisPerRecord;

		Shipping(String instance, JdbcTemplate jdbc, long millisPerRecord) {
			this.instance = instance;
			this.jdbc = jdbc;
			this.millisPerRecord = millisPerRecord;
		}

		@EventHandler(guarantee = Guarantee.EXACTLY_ONCE)
		void on(Parcel parcel, StoredRecord record) throws InterruptedException {
			if (this.millisPerRecord > 0) {
				Thread.sleep(this.millisPerRecord);
			}
			this.jdbc.update("INSERT INTO shipments (uuid, stream, version, instance) VALUES (?, ?, ?, ?)",
					record.record().uuid(), record.stream().toString(), record.streamVersion(), this.instance);
		}

	}

	static class Slow {

		final List<UUID> atLeastOnce = new CopyOnWriteArrayList<>();

		final List<UUID> atMostOnce = new CopyOnWriteArrayList<>();

		private final JdbcTemplate jdbc;

		Slow(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@EventHandler(guarantee = Guarantee.EXACTLY_ONCE)
		void exactlyOnce(Parcel parcel, StoredRecord record) throws InterruptedException {
			Thread.sleep(20);
			this.jdbc.update("INSERT INTO shipments (uuid, stream, version, instance) VALUES (?, '-', 0, 'slow')",
					record.record().uuid());
		}

		@EventHandler
		void atLeastOnce(Parcel parcel, StoredRecord record) throws InterruptedException {
			Thread.sleep(20);
			this.atLeastOnce.add(record.record().uuid());
		}

		@EventHandler(guarantee = Guarantee.AT_MOST_ONCE)
		void atMostOnce(Parcel parcel, StoredRecord record) throws InterruptedException {
			Thread.sleep(20);
			this.atMostOnce.add(record.record().uuid());
		}

	}

	static class Stuck {

		private final CountDownLatch release;

		Stuck(CountDownLatch release) {
			this.release = release;
		}

		@EventHandler
		void on(Parcel parcel) throws InterruptedException {
			assertThat(this.release.await(30, TimeUnit.SECONDS)).isTrue();
		}

	}

	static class Orders {

		final List<String> handled = new CopyOnWriteArrayList<>();

		@EventHandler
		void onOrderPlaced(HandlerOnlyApplication.OrderPlaced event) {
			this.handled.add(event.orderId());
		}

	}

}
