package io.eventy.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import ch.qos.logback.classic.Level;
import com.zaxxer.hikari.HikariDataSource;
import io.eventy.handler.EnableEventHandlers;
import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import io.eventy.handler.HandlerEndpointRegistry;
import io.eventy.handler.RetryPolicy;
import io.eventy.handler.StartPosition;
import io.eventy.handler.SubscriptionOptions;
import io.eventy.record.Jackson3PayloadConverter;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordType;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.postgres.PostgresEventStore;
import io.eventy.store.postgres.PostgresSchemaInitializer;
import io.eventy.store.postgres.PostgresStoreSettings;
import io.eventy.store.postgres.PostgresSubscriptionOptions;
import io.eventy.store.postgres.PostgresSubscriptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Measures how a PostgreSQL subscription scales out in segments, on embedded PostgreSQL
 * 17 with durable commits: a handler that takes {@value #HANDLER_MILLIS} ms per record (a
 * sleep, as a call to another service would) works off a backlog of {@value #RECORDS}
 * records in 1,000 streams, once as 1 segment on 1 instance and once as
 * {@value #SEGMENTS} segments shared by 2 instances (two application contexts in this
 * JVM, each with a connection pool and an instance id of its own, as two processes would
 * have).
 * <p>
 * Each round starts on a new database: the instances start, the segments are shared out
 * (waited for, so the start-up hand-over is not measured), then the backlog is appended
 * in one transaction through the store. The clock runs from that commit until the last
 * record is done (for {@code EXACTLY_ONCE}, until its transaction committed). Every round
 * checks that each record was handled exactly once and the records of each stream in
 * their order. The two configurations alternate round by round (who goes first flips); a
 * warm-up round of each is discarded. Both guarantees that matter for throughput run:
 * {@code AT_LEAST_ONCE} (the default; the checkpoint moves once per batch) and
 * {@code EXACTLY_ONCE} (each record in a transaction with the handler's own write).
 * <p>
 * Run with {@code mvn -q -pl eventy-core -Pbenchmark test-compile exec:java
 * -Dexec.mainClass=io.eventy.benchmark.SegmentBenchmark}; see BENCHMARKS.md.
 * {@code -Dbenchmark.guarantee=AT_LEAST_ONCE} (or {@code EXACTLY_ONCE}) runs one
 * guarantee only; {@code -Dbenchmark.durability=off} runs on a server whose commits wait
 * for no disk flush; {@code -Dbenchmark.streams=400} spreads the backlog over fewer
 * streams.
 */
public final class SegmentBenchmark {

	private static final int RECORDS = 4_000;

	/**
	 * Streams in the backlog, {@code -Dbenchmark.streams}: a stream's records share a
	 * segment, so the fewer streams, the more unequal the segments' shares (printed).
	 */
	private static final int STREAMS = Integer.getInteger("benchmark.streams", 1_000);

	private static final int HANDLER_MILLIS = 2;

	private static final int SEGMENTS = 8;

	private static final int ROUNDS = 3;

	private static final int WARM_UP_RECORDS = 800;

	private static final int POOL_SIZE = 12;

	private static final double TARGET = 6.0;

	/**
	 * A short lease, as in the tests: instances share the segments out within about a
	 * second before each round. It does not change the throughput: the heartbeat runs
	 * four times per lease on a thread of its own.
	 */
	private static final Duration LEASE = Duration.ofSeconds(2);

	private static final PostgresStoreSettings SETTINGS = PostgresStoreSettings.defaults();

	private static final AtomicInteger databases = new AtomicInteger();

	private SegmentBenchmark() {
	}

	/**
	 * Run the benchmark and print the results.
	 * @param args ignored
	 * @throws Exception if the database fails or a check fails
	 */
	public static void main(String[] args) throws Exception {
		((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.eventy")).setLevel(Level.WARN);
		long started = System.nanoTime();
		String only = System.getProperty("benchmark.guarantee");
		List<Guarantee> guarantees = (only != null) ? List.of(Guarantee.valueOf(only.toUpperCase(Locale.ROOT)))
				: List.of(Guarantee.AT_LEAST_ONCE, Guarantee.EXACTLY_ONCE);
		List<String> summary = new ArrayList<>();
		// -Dbenchmark.durability=off: commits wait for no disk flush, to tell their share
		String durability = System.getProperty("benchmark.durability", "on");
		try (EmbeddedPostgres server = EmbeddedPostgres.builder()
			.setServerConfig("fsync", durability)
			.setServerConfig("synchronous_commit", durability)
			.setServerConfig("max_connections", "100")
			.start()) {
			System.out.println(describe(server));
			System.out.printf(Locale.ROOT,
					"Handler: %d ms sleep per record; backlog: %,d records in %d streams of %d, appended in one "
							+ "transaction; batches of 100%n",
					HANDLER_MILLIS, RECORDS, STREAMS, RECORDS / STREAMS);
			printSegmentSizes(server);
			printSegmentBounds(server);
			for (Guarantee guarantee : guarantees) {
				summary.addAll(compare(server, guarantee));
			}
		}
		System.out.println();
		System.out
			.println("Summary (records/s over the measured rounds; ratio of the sums, per-round median and range)");
		summary.forEach(System.out::println);
		System.out.printf(Locale.ROOT, "%nLoad average at the end: %s; total run time %.1f s%n", loadAverage(),
				(System.nanoTime() - started) / 1e9);
		System.exit(0);
	}

	private static List<String> compare(EmbeddedPostgres server, Guarantee guarantee) throws Exception {
		System.out.printf(Locale.ROOT, "%n=== %s, load average %s%n", guarantee, loadAverage());
		Round warmSingle = round(server, guarantee, 1, 1, WARM_UP_RECORDS);
		Round warmShared = round(server, guarantee, 2, SEGMENTS, WARM_UP_RECORDS);
		System.out.printf(Locale.ROOT,
				"  warm-up  1 segment %,6.0f records/s, %d segments on 2 instances %,6.0f "
						+ "records/s (%d records each)%n",
				warmSingle.perSecond(), SEGMENTS, warmShared.perSecond(), WARM_UP_RECORDS);
		long singleNanos = 0;
		long sharedNanos = 0;
		List<Double> ratios = new ArrayList<>();
		for (int i = 1; i <= ROUNDS; i++) {
			boolean singleFirst = (i % 2 == 1);
			Round first = singleFirst ? round(server, guarantee, 1, 1, RECORDS)
					: round(server, guarantee, 2, SEGMENTS, RECORDS);
			Round second = singleFirst ? round(server, guarantee, 2, SEGMENTS, RECORDS)
					: round(server, guarantee, 1, 1, RECORDS);
			Round single = singleFirst ? first : second;
			Round shared = singleFirst ? second : first;
			singleNanos += single.nanos();
			sharedNanos += shared.nanos();
			double ratio = (double) single.nanos() / shared.nanos();
			ratios.add(ratio);
			System.out.printf(Locale.ROOT,
					"  round %d  1 segment on 1 instance %,6.0f records/s (%.2f ms per record, %.2f ms of it asleep)%n"
							+ "           %d segments on 2 instances %,6.0f records/s (%s; the slowest segment done "
							+ "after %.2f s, the first after %.2f s)%n           ratio %.2f, each record once and "
							+ "in stream order: %s; segments shared out %.1f s after the last instance started%n",
					i, single.perSecond(), single.nanos() / 1e6 / RECORDS, single.sleepNanos() / 1e6, SEGMENTS,
					shared.perSecond(), shared.instances(), shared.lastSegmentSeconds(), shared.firstSegmentSeconds(),
					ratio, (single.checked() && shared.checked()) ? "yes" : "NO", shared.sharedNanos() / 1e9);
		}
		Collections.sort(ratios);
		double ratio = (double) singleNanos / sharedNanos;
		double records = (double) ROUNDS * RECORDS;
		return List.of("  " + guarantee,
				String.format(Locale.ROOT, "    1 segment on 1 instance      %,8.0f records/s",
						records * 1e9 / singleNanos),
				String.format(Locale.ROOT, "    %d segments on 2 instances   %,8.0f records/s", SEGMENTS,
						records * 1e9 / sharedNanos),
				String.format(Locale.ROOT,
						"    ratio %.2f (per-round median %.2f, range %.2f-%.2f), target >= %.1f: %s", ratio,
						ratios.get(ratios.size() / 2), ratios.get(0), ratios.get(ratios.size() - 1), TARGET,
						(ratio >= TARGET) ? "met" : "MISSED"));
	}

	/**
	 * Run one configuration on a new database: start the instances, wait until they share
	 * the segments out, append the backlog, and time it until every record is done.
	 */
	private static Round round(EmbeddedPostgres server, Guarantee guarantee, int instances, int segments, int records)
			throws Exception {
		String database = "segments_" + databases.incrementAndGet();
		try (Connection connection = server.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + database);
		}
		List<HikariDataSource> pools = new ArrayList<>();
		List<AnnotationConfigApplicationContext> contexts = new ArrayList<>();
		Handled handled = new Handled(records);
		try {
			for (int i = 0; i < instances; i++) {
				HikariDataSource pool = new HikariDataSource();
				pool.setJdbcUrl("jdbc:postgresql://localhost:" + server.getPort() + "/" + database);
				pool.setUsername("postgres");
				pool.setMaximumPoolSize(POOL_SIZE);
				pools.add(pool);
			}
			HikariDataSource first = pools.get(0);
			new PostgresSchemaInitializer(first, SETTINGS).initialize();
			new JdbcTemplate(first).execute("CREATE TABLE handled (seq bigint GENERATED ALWAYS AS IDENTITY, "
					+ "uuid uuid NOT NULL, stream text NOT NULL, version bigint NOT NULL, instance text NOT NULL, "
					+ "segment text NOT NULL)");
			long lastStarted = 0;
			for (int i = 0; i < instances; i++) {
				lastStarted = System.nanoTime();
				contexts.add(instance(pools.get(i), "instance-" + (i + 1), segments, guarantee, handled));
			}
			long shared = awaitShared(first, instances, segments) - lastStarted;
			PostgresEventStore store = contexts.get(0).getBean(PostgresEventStore.class);
			TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(first));
			List<List<UUID>> written = transaction.execute((status) -> append(store, records));
			long committed = System.nanoTime();
			if (!handled.done.await(2, TimeUnit.MINUTES)) {
				throw new IllegalStateException("Only " + handled.count.get() + " of " + records + " records handled");
			}
			long nanos = handled.last.get() - committed;
			// a duplicate would come after the last record: give it a moment to show
			Thread.sleep(200);
			List<Row> rows = (guarantee == Guarantee.EXACTLY_ONCE) ? rowsOf(first) : List.copyOf(handled.rows);
			boolean checked = check(rows, written, records);
			Map<String, Long> lastBySegment = new TreeMap<>();
			Map<String, Integer> byInstance = new TreeMap<>();
			for (Row row : rows) {
				byInstance.merge(row.instance(), 1, Integer::sum);
			}
			handled.lastBySegment.forEach((segment, last) -> lastBySegment.put(segment, last.get() - committed));
			return new Round(records, nanos, checked, byInstance, lastBySegment,
					handled.sleptNanos.get() / (double) rows.size(), shared);
		}
		finally {
			for (AnnotationConfigApplicationContext context : contexts) {
				context.close();
			}
			for (HikariDataSource pool : pools) {
				pool.close();
			}
		}
	}

	private static AnnotationConfigApplicationContext instance(DataSource dataSource, String instanceId, int segments,
			Guarantee guarantee, Handled handled) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		RecordFactory factory = new RecordFactory(new RecordTypeRegistry("urn:bench"),
				new Jackson3PayloadConverter(JsonMapper.builder().build()), PayloadValidator.none(), "urn:bench");
		SubscriptionOptions options = new SubscriptionOptions(100, Duration.ofSeconds(1), StartPosition.EARLIEST,
				RetryPolicy.defaults());
		PostgresSubscriptionOptions postgresOptions = PostgresSubscriptionOptions.defaults()
			.withSegments(segments)
			.withLease(LEASE)
			.withInstanceId(instanceId);
		DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(dataSource);
		context.register(Handlers.class);
		context.registerBean(RecordFactory.class, () -> factory);
		context.registerBean(PostgresEventStore.class, () -> new PostgresEventStore(dataSource, SETTINGS, factory));
		context.registerBean(PlatformTransactionManager.class, () -> transactionManager);
		if (guarantee == Guarantee.EXACTLY_ONCE) {
			context.registerBean("shipping", ExactlyOnceShipping.class,
					() -> new ExactlyOnceShipping(instanceId, new JdbcTemplate(dataSource), handled));
		}
		else {
			context.registerBean("shipping", AtLeastOnceShipping.class,
					() -> new AtLeastOnceShipping(instanceId, handled));
		}
		context.registerBean(PostgresSubscriptions.class, () -> {
			PostgresSubscriptions subscriptions = new PostgresSubscriptions(dataSource, SETTINGS,
					context.getBean(HandlerEndpointRegistry.class), factory.converter(), options, transactionManager,
					context);
			subscriptions.setPostgresOptions(postgresOptions);
			return subscriptions;
		});
		context.refresh();
		return context;
	}

	/**
	 * Wait until every segment is owned and each instance owns its share of them.
	 * @return when they were seen shared out ({@link System#nanoTime()})
	 */
	private static long awaitShared(DataSource dataSource, int instances, int segments) throws InterruptedException {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline) {
			List<Long> owned = jdbc.queryForList("SELECT count(*) FROM eventy_subscriptions WHERE owned_until > "
					+ "clock_timestamp() GROUP BY owner", Long.class);
			if (owned.size() == instances && owned.stream().allMatch((count) -> count == segments / instances)) {
				long shared = System.nanoTime();
				// let the workers finish their first (empty) read
				Thread.sleep(300);
				return shared;
			}
			Thread.sleep(50);
		}
		throw new IllegalStateException(instances + " instances did not share " + segments + " segments out in 30 s");
	}

	/**
	 * Append the backlog: one record to each stream in turn, so that the streams
	 * interleave.
	 * @return the uuids written, by stream, in stream order
	 */
	private static List<List<UUID>> append(PostgresEventStore store, int records) {
		int streams = Math.min(STREAMS, records);
		List<List<UUID>> written = new ArrayList<>();
		for (int i = 0; i < streams; i++) {
			written.add(new ArrayList<>());
		}
		for (int n = 0; n < records; n++) {
			int stream = n % streams;
			long version = n / streams;
			ExpectedVersion expected = (version == 0) ? ExpectedVersion.noStream() : ExpectedVersion.exactly(version);
			written.get(stream)
				.add(store.append(StreamId.of("parcel", "p-" + stream), expected, new ParcelShipped("p-" + stream, n))
					.records()
					.get(0)
					.record()
					.uuid());
		}
		return written;
	}

	private static List<Row> rowsOf(DataSource dataSource) {
		return new JdbcTemplate(dataSource).query(
				"SELECT uuid, stream, version, instance, segment FROM handled ORDER BY seq",
				(result, i) -> new Row(result.getObject(1, UUID.class), result.getString(2), result.getLong(3),
						result.getString(4), result.getString(5)));
	}

	/**
	 * Check that every record written was handled once, and those of each stream in their
	 * order; print what is wrong.
	 */
	private static boolean check(List<Row> rows, List<List<UUID>> written, int records) {
		boolean ok = true;
		Set<UUID> seen = new HashSet<>();
		Map<String, List<Long>> versions = new HashMap<>();
		int duplicates = 0;
		for (Row row : rows) {
			if (!seen.add(row.uuid())) {
				duplicates++;
			}
			versions.computeIfAbsent(row.stream(), (stream) -> new ArrayList<>()).add(row.version());
		}
		Set<UUID> expected = new HashSet<>();
		written.forEach(expected::addAll);
		if (duplicates > 0 || rows.size() != records || !seen.equals(expected)) {
			System.out.printf(Locale.ROOT, "  CHECK FAILED: %d calls for %d records, %d duplicates, %d missing%n",
					rows.size(), records, duplicates, expected.stream().filter((uuid) -> !seen.contains(uuid)).count());
			ok = false;
		}
		for (Map.Entry<String, List<Long>> stream : versions.entrySet()) {
			List<Long> handled = stream.getValue();
			for (int i = 0; i < handled.size(); i++) {
				if (handled.get(i) != i + 1) {
					System.out.printf(Locale.ROOT, "  CHECK FAILED: %s handled as versions %s%n", stream.getKey(),
							handled);
					ok = false;
					break;
				}
			}
		}
		return ok;
	}

	/**
	 * Print how the streams of the backlog hash onto the segments: the largest segment
	 * bounds the speed-up.
	 */
	private static void printSegmentSizes(EmbeddedPostgres server) throws SQLException {
		try (Connection connection = server.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT (hashtextextended('parcel/p-' || s, 0) "
						+ "& 9223372036854775807) % " + SEGMENTS + " AS segment, count(*) FROM generate_series(0, "
						+ (STREAMS - 1) + ") s GROUP BY 1 ORDER BY 1")) {
			List<Long> streams = new ArrayList<>();
			while (result.next()) {
				streams.add(result.getLong(2));
			}
			long largest = Collections.max(streams);
			System.out.printf(Locale.ROOT,
					"Streams per segment of %d: %s; the largest holds %.1f%% of the records, so %d segments "
							+ "can be at most %.2fx one%n",
					SEGMENTS, streams, 100.0 * largest / STREAMS, SEGMENTS, (double) STREAMS / largest);
		}
	}

	/**
	 * Print the most that {@value #SEGMENTS} segments can gain over one for backlogs of
	 * other numbers of streams (of equal length), from the same hash.
	 */
	private static void printSegmentBounds(EmbeddedPostgres server) throws SQLException {
		try (Connection connection = server.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT n, n::float8 / max(c) FROM (SELECT n, count(*) c "
						+ "FROM (VALUES (100), (200), (400), (1000), (2000), (4000), (10000)) v(n), "
						+ "generate_series(0, n - 1) s GROUP BY n, (hashtextextended('parcel/p-' || s, 0) "
						+ "& 9223372036854775807) % " + SEGMENTS + ") x GROUP BY n ORDER BY n")) {
			StringBuilder bounds = new StringBuilder();
			while (result.next()) {
				bounds.append((bounds.length() > 0) ? ", " : "")
					.append(String.format(Locale.ROOT, "%,d streams %.2fx", result.getInt(1), result.getDouble(2)));
			}
			System.out.println("At most, for other numbers of streams: " + bounds);
		}
	}

	private static String describe(EmbeddedPostgres server) throws SQLException {
		try (Connection connection = server.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(
						"SELECT version(), current_setting('synchronous_commit'), current_setting('fsync')")) {
			result.next();
			return String.format(Locale.ROOT, "%s%nsynchronous_commit=%s, fsync=%s; Java %s; %d CPUs; load average %s",
					result.getString(1), result.getString(2), result.getString(3), System.getProperty("java.version"),
					Runtime.getRuntime().availableProcessors(), loadAverage());
		}
	}

	private static String loadAverage() {
		try {
			String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return parts[0] + " " + parts[1] + " " + parts[2];
		}
		catch (IOException | RuntimeException ex) {
			return "unknown";
		}
	}

	/**
	 * A parcel was shipped (the benchmark's payload).
	 *
	 * @param parcelId the parcel
	 * @param sequence its place in the backlog
	 */
	@RecordType(namespace = "urn:bench", name = "ParcelShipped")
	public record ParcelShipped(String parcelId, long sequence) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableEventHandlers
	static class Handlers {

	}

	/**
	 * One handler call as recorded.
	 */
	record Row(UUID uuid, String stream, long version, String instance, String segment) {
	}

	/**
	 * What one round's handlers did.
	 */
	static final class Handled {

		final CountDownLatch done;

		final AtomicInteger count = new AtomicInteger();

		final AtomicLong last = new AtomicLong();

		final AtomicLong sleptNanos = new AtomicLong();

		final ConcurrentLinkedQueue<Row> rows = new ConcurrentLinkedQueue<>();

		final Map<String, AtomicLong> lastBySegment = new java.util.concurrent.ConcurrentHashMap<>();

		Handled(int records) {
			this.done = new CountDownLatch(records);
		}

		/**
		 * Sleep as the handler's I/O, and count how long that took: a sleep of 2 ms lasts
		 * a little longer.
		 */
		void sleep() throws InterruptedException {
			long start = System.nanoTime();
			Thread.sleep(HANDLER_MILLIS);
			this.sleptNanos.addAndGet(System.nanoTime() - start);
		}

		void done(String segment) {
			long now = System.nanoTime();
			this.last.accumulateAndGet(now, Math::max);
			this.lastBySegment.computeIfAbsent(segment, (name) -> new AtomicLong()).accumulateAndGet(now, Math::max);
			this.count.incrementAndGet();
			this.done.countDown();
		}

	}

	/**
	 * The default guarantee: no transaction around the call; the checkpoint moves once
	 * per batch.
	 */
	static final class AtLeastOnceShipping {

		private final String instance;

		private final Handled handled;

		AtLeastOnceShipping(String instance, Handled handled) {
			this.instance = instance;
			this.handled = handled;
		}

		@EventHandler
		void on(ParcelShipped parcel, StoredRecord record) throws InterruptedException {
			this.handled.sleep();
			String segment = Thread.currentThread().getName();
			this.handled.rows.add(new Row(record.record().uuid(), record.stream().toString(), record.streamVersion(),
					this.instance, segment));
			this.handled.done(segment);
		}

	}

	/**
	 * Each record in a transaction with the handler's own write and the checkpoint's
	 * move; done once that commits.
	 */
	static final class ExactlyOnceShipping {

		private final String instance;

		private final JdbcTemplate jdbc;

		private final Handled handled;

		ExactlyOnceShipping(String instance, JdbcTemplate jdbc, Handled handled) {
			this.instance = instance;
			this.jdbc = jdbc;
			this.handled = handled;
		}

		@EventHandler(guarantee = Guarantee.EXACTLY_ONCE)
		void on(ParcelShipped parcel, StoredRecord record) throws InterruptedException {
			this.handled.sleep();
			String segment = Thread.currentThread().getName();
			this.jdbc.update("INSERT INTO handled (uuid, stream, version, instance, segment) VALUES (?, ?, ?, ?, ?)",
					record.record().uuid(), record.stream().toString(), record.streamVersion(), this.instance, segment);
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					ExactlyOnceShipping.this.handled.done(segment);
				}
			});
		}

	}

	/**
	 * One configuration's round.
	 */
	record Round(int records, long nanos, boolean checked, Map<String, Integer> byInstance,
			Map<String, Long> lastBySegment, double sleepNanos, long sharedNanos) {

		double perSecond() {
			return this.records * 1e9 / this.nanos;
		}

		String instances() {
			StringBuilder text = new StringBuilder();
			this.byInstance.forEach((instance, count) -> text.append((text.length() > 0) ? ", " : "")
				.append(String.format(Locale.ROOT, "%,d on %s", count, instance)));
			return text.toString();
		}

		double lastSegmentSeconds() {
			return Collections.max(this.lastBySegment.values()) / 1e9;
		}

		double firstSegmentSeconds() {
			return Collections.min(this.lastBySegment.values()) / 1e9;
		}

	}

}
