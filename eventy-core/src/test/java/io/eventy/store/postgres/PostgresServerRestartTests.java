package io.eventy.store.postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.zaxxer.hikari.HikariDataSource;
import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import io.eventy.handler.SubscriptionState;
import io.eventy.record.RecordType;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.testsupport.LogCapture;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The PostgreSQL server of the store goes away while subscriptions catch up, and comes
 * back on the same data: nothing is lost, nothing handled twice that must not be, the
 * subscriptions resume by themselves and the log says so without repeating itself. The
 * server is this test's own, so that stopping it disturbs no other test.
 */
class PostgresServerRestartTests {

	private static final int BACKLOG = 1500;

	private static final int AFTER_RESTART = 50;

	private static final Duration OUTAGE = Duration.ofSeconds(3);

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	@TempDir
	Path directory;

	private EmbeddedPostgres server;

	private int port;

	private HikariDataSource dataSource;

	@AfterEach
	void stopServer() throws IOException {
		if (this.dataSource != null) {
			this.dataSource.close();
		}
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void subscriptionsOfEachGuaranteeResumeAfterTheServerRestartsLosingNothingAndRepeatingNothingExactlyOnce()
			throws Exception {
		this.port = freePort();
		this.server = startServer();
		this.dataSource = pool();
		JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
		new PostgresSchemaInitializer(this.dataSource, PostgresHandlerFixture.SETTINGS).initialize();
		jdbc.execute("CREATE TABLE handled (position bigint NOT NULL)");
		PostgresEventStore store = PostgresHandlerFixture.store(this.dataSource);
		for (int stream = 0; stream < BACKLOG / 100; stream++) {
			List<Tick> ticks = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				ticks.add(new Tick(stream * 100 + i));
			}
			store.append(StreamId.of("ticks", "s" + stream), ExpectedVersion.any(), ticks);
		}
		try (LogCapture log = LogCapture.start();
				AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
					// a poll interval the test would notice: new records come by
					// notification
					.options(PostgresHandlerFixture.fastOptions().withPollInterval(Duration.ofSeconds(10)))
					.postgresOptions(PostgresSubscriptionOptions.defaults()
						.withLease(Duration.ofSeconds(2))
						.withStallTimeout(Duration.ofSeconds(1)))
					.bean("ticks", Ticks.class, () -> new Ticks(jdbc))
					.start()) {
			Ticks ticks = context.getBean(Ticks.class);
			PostgresSubscriptions subscriptions = context.getBean(PostgresSubscriptions.class);
			PostgresSubscriptionControls controls = context.getBean(PostgresSubscriptionControls.class);
			PostgresSubscriptionMonitor monitor = new PostgresSubscriptionMonitor(this.dataSource,
					PostgresHandlerFixture.SETTINGS);
			List<String> names = subscriptions.subscriptions();
			assertThat(names).hasSize(3);
			await().atMost(DEADLINE)
				.until(() -> ticks.atLeastOnce.size() > 200 && ticks.atMostOnce.size() > 200
						&& ticks.exactlyOnce.get() > 200);
			assertThat(ticks.exactlyOnce.get()).as("still catching up when the server stops").isLessThan(BACKLOG);

			int linesBefore = log.lines((line) -> true).size();
			this.server.close();
			long down = System.nanoTime();
			assertThatExceptionOfType(DataAccessResourceFailureException.class)
				.isThrownBy(() -> store.publish(new Tick(-1)));
			assertThat(Duration.ofNanos(System.nanoTime() - down)).as("an append while the server is away fails")
				.isLessThan(Duration.ofSeconds(5));
			assertThatExceptionOfType(DataAccessResourceFailureException.class).isThrownBy(monitor::subscriptions);
			await().atMost(DEADLINE)
				.until(() -> subscriptions.stalls().stream().map(SubscriptionStall::subscription).distinct().count(),
						(stalled) -> stalled == names.size());
			// the outage itself lasts its time
			Thread.sleep(Math.max(0, OUTAGE.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down)));
			List<ILoggingEvent> outage = log.lines((line) -> true);
			Map<String, Long> loudLines = outage.subList(linesBefore, outage.size())
				.stream()
				.filter((line) -> line.getLoggerName().startsWith("io.eventy")
						&& line.getLevel().isGreaterOrEqual(Level.WARN))
				.collect(Collectors.groupingBy(ILoggingEvent::getThreadName, Collectors.counting()));
			// each thread says once that it lost the database, and a segment once that it
			// is stalled
			assertThat(loudLines).isNotEmpty()
				.allSatisfy((thread, lines) -> assertThat(lines).as(thread).isLessThanOrEqualTo(2));

			this.server = startServer();
			await().atMost(DEADLINE).ignoreExceptions().until(() -> store.publish(new Tick(BACKLOG)) != null);
			for (int i = 1; i < AFTER_RESTART; i++) {
				store.publish(new Tick(BACKLOG + i));
			}
			int total = BACKLOG + AFTER_RESTART;
			await().atMost(DEADLINE)
				.until(() -> ticks.atLeastOnce.size() == total && ticks.atMostOnce.size() == total
						&& jdbc.queryForObject("SELECT count(DISTINCT position) FROM handled", Integer.class) == total);
			assertThat(ticks.atMostOnce.values()).as("at most once").allMatch((count) -> count.get() == 1);
			assertThat(jdbc.queryForObject("SELECT count(*) FROM handled", Integer.class)).as("exactly once")
				.isEqualTo(total);
			assertThat(jdbc.queryForObject("SELECT count(DISTINCT position) FROM handled", Integer.class))
				.isEqualTo(total);
			assertThat(monitor.subscriptions()).hasSize(3).allSatisfy((lag) -> assertThat(lag.deadLetters()).isZero());
			assertThat(subscriptions.stalls()).isEmpty();
			for (String name : names) {
				assertThat(threadRuns("eventy-subscription-" + name)).as(name).isTrue();
				// running, or still counted as catching up after its last full batch
				assertThat(controls.get(name).state()).as(name)
					.isIn(SubscriptionState.RUNNING, SubscriptionState.CATCHING_UP);
			}
			assertThat(threadRuns("eventy-subscription-listener")).isTrue();
			assertThat(threadRuns("eventy-subscription-segments")).isTrue();

			// listening again: a new record comes by notification, long before the poll
			StoredRecord last = store.publish(new Tick(total));
			await().atMost(Duration.ofSeconds(3))
				.until(() -> ticks.atLeastOnce.containsKey(last.position())
						&& ticks.atMostOnce.containsKey(last.position())
						&& jdbc.queryForObject("SELECT count(*) FROM handled", Integer.class) == total + 1);
		}
	}

	@Test
	void subscriptionsStartedWhileTheServerIsAwayBeginWhenItComesUp() throws Exception {
		this.port = freePort();
		this.server = startServer();
		this.dataSource = pool();
		JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
		new PostgresSchemaInitializer(this.dataSource, PostgresHandlerFixture.SETTINGS).initialize();
		jdbc.execute("CREATE TABLE handled (position bigint NOT NULL)");
		PostgresEventStore store = PostgresHandlerFixture.store(this.dataSource);
		StoredRecord first = store.publish(new Tick(0));
		this.server.close();
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.options(PostgresHandlerFixture.fastOptions().withPollInterval(Duration.ofSeconds(10)))
			.bean("ticks", Ticks.class, () -> new Ticks(jdbc))
			.start()) {
			Ticks ticks = context.getBean(Ticks.class);
			this.server = startServer();
			await().atMost(DEADLINE)
				.until(() -> ticks.atLeastOnce.containsKey(first.position())
						&& ticks.atMostOnce.containsKey(first.position()));
			StoredRecord second = store.publish(new Tick(1));
			await().atMost(Duration.ofSeconds(3))
				.until(() -> ticks.atLeastOnce.containsKey(second.position())
						&& ticks.atMostOnce.containsKey(second.position())
						&& jdbc.queryForObject("SELECT count(*) FROM handled", Integer.class) == 2);
		}
	}

	private EmbeddedPostgres startServer() throws IOException {
		return EmbeddedPostgres.builder()
			.setDataDirectory(this.directory.resolve("data"))
			.setCleanDataDirectory(false)
			.setPort(this.port)
			.setServerConfig("fsync", "off")
			.setServerConfig("synchronous_commit", "off")
			.setServerConfig("full_page_writes", "off")
			.start();
	}

	private HikariDataSource pool() {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl("jdbc:postgresql://localhost:" + this.port + "/postgres");
		pool.setUsername("postgres");
		pool.setMaximumPoolSize(12);
		// an append while the server is away fails soon instead of waiting 30 s
		pool.setConnectionTimeout(1000);
		pool.setInitializationFailTimeout(-1);
		return pool;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
	}

	private static boolean threadRuns(String name) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.anyMatch((thread) -> thread.getName().equals(name) && thread.isAlive());
	}

	@RecordType(namespace = "urn:shop")
	record Tick(int number) {
	}

	static class Ticks {

		final Map<Long, AtomicInteger> atLeastOnce = new ConcurrentHashMap<>();

		final Map<Long, AtomicInteger> atMostOnce = new ConcurrentHashMap<>();

		final AtomicInteger exactlyOnce = new AtomicInteger();

		private final JdbcTemplate jdbc;

		Ticks(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@EventHandler
		void atLeastOnce(Tick tick, StoredRecord record) {
			work();
			this.atLeastOnce.computeIfAbsent(record.position(), (position) -> new AtomicInteger()).incrementAndGet();
		}

		@EventHandler(guarantee = Guarantee.AT_MOST_ONCE)
		void atMostOnce(Tick tick, StoredRecord record) {
			work();
			this.atMostOnce.computeIfAbsent(record.position(), (position) -> new AtomicInteger()).incrementAndGet();
		}

		@EventHandler(guarantee = Guarantee.EXACTLY_ONCE)
		void exactlyOnce(Tick tick, StoredRecord record) {
			work();
			this.jdbc.update("INSERT INTO handled (position) VALUES (?)", record.position());
			this.exactlyOnce.incrementAndGet();
		}

		/**
		 * A millisecond of work per record, so that the backlog takes a few seconds.
		 */
		private static void work() {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}

	}

}
