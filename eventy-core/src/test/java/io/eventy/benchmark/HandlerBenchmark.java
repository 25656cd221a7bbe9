package io.eventy.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.eventy.handler.EnableEventHandlers;
import io.eventy.handler.EventHandler;
import io.eventy.handler.HandlerEndpointRegistry;
import io.eventy.handler.RetryPolicy;
import io.eventy.handler.StartPosition;
import io.eventy.handler.SubscriptionCaughtUpEvent;
import io.eventy.handler.SubscriptionOptions;
import io.eventy.record.Jackson3PayloadConverter;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordType;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.store.AppendResult;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.postgres.PostgresEventStore;
import io.eventy.store.postgres.PostgresSchemaInitializer;
import io.eventy.store.postgres.PostgresStoreSettings;
import io.eventy.store.postgres.PostgresSubscriptionOptions;
import io.eventy.store.postgres.PostgresSubscriptions;
import io.eventy.testsupport.PostgresTestDatabase;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Measures subscriptions on embedded PostgreSQL, on the store's own schema (created by
 * {@link PostgresSchemaInitializer}, every index included), in one run:
 * <ol>
 * <li>catch-up: a new subscription with a no-op handler over 200,000 existing records
 * ({@code -Dbenchmark.records=100000,200000,500000,1000000} measures a curve), from the
 * start of its application context's subscriptions (as Axon's from its processor's start)
 * to its {@link SubscriptionCaughtUpEvent}, against a plain JDBC keyset scan of the same
 * rows in the same order and batch size and, under {@code -Pbenchmark}, Axon Framework's
 * pooled streaming processor over as many events of its own store, the three taking turns
 * round by round; at 200,000 records (else the first count) also in batches of 1000 and
 * in 8 segments ({@code -Dbenchmark.extras=false} leaves those out);</li>
 * <li>live latency: records appended at a fixed 200 per second, each timed from just
 * before its append to the start of its handler call; percentiles over every sample.</li>
 * </ol>
 * Warm-up rounds (enough for 300,000 records, at least one) are discarded.
 * {@code -Dbenchmark.live=false} leaves out the live latency. Run with
 * {@code mvn -q -pl eventy-core -Pbenchmark test-compile exec:java
 * -Dexec.mainClass=io.eventy.benchmark.HandlerBenchmark}; see BENCHMARKS.md.
 */
public final class HandlerBenchmark {

	private static final int RECORDS = 200_000;

	private static final int BATCH_SIZE = 100;

	private static final int ROUNDS = 3;

	/**
	 * The fewest records each contender handles unmeasured at each point of the curve.
	 */
	private static final int WARM_UP_RECORDS = 300_000;

	/** The segments of the segmented catch-up, on one instance. */
	private static final int SEGMENTS = 8;

	private static final int RATE_PER_SECOND = 200;

	private static final Duration LIVE_WARM_UP = Duration.ofSeconds(5);

	private static final Duration LIVE_MEASURED = Duration.ofSeconds(30);

	private static final PostgresStoreSettings SETTINGS = PostgresStoreSettings.defaults();

	/**
	 * Payloads are read with Jackson 3, as on Spring Boot 4;
	 * {@code -Dbenchmark.jackson=2}: Jackson 2, as an application without Jackson 3.
	 */
	private static final boolean JACKSON_3 = !"2".equals(System.getProperty("benchmark.jackson"));

	private HandlerBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int[] curve = Arrays.stream(System.getProperty("benchmark.records", Integer.toString(RECORDS)).split(","))
			.map(String::trim)
			.mapToInt(Integer::parseInt)
			.sorted()
			.toArray();
		boolean extras = Boolean.parseBoolean(System.getProperty("benchmark.extras", "true"));
		boolean live = Boolean.parseBoolean(System.getProperty("benchmark.live", "true"));
		String database = PostgresTestDatabase.newDatabase().getDatabaseName();
		try (HikariDataSource dataSource = new HikariDataSource()) {
			dataSource.setJdbcUrl(PostgresTestDatabase.jdbcUrl(database));
			dataSource.setUsername("postgres");
			dataSource.setMaximumPoolSize(10);
			new PostgresSchemaInitializer(dataSource, SETTINGS).initialize();
			CatchUpContender axon = CatchUpContender.axon(dataSource);
			System.out.println((axon != null) ? "Axon Framework's pooled streaming processor joins the catch-up"
					: "Axon Framework is not on the class path: run with -Pbenchmark to compare with it");
			List<String> lines = new ArrayList<>();
			// batches of 1000 and 8 segments at 200,000 records, as ever, when the curve
			// has it
			int extrasAt = Arrays.stream(curve).anyMatch((records) -> records == RECORDS) ? RECORDS : curve[0];
			int stored = 0;
			for (int records : curve) {
				long fill = System.nanoTime();
				fill(dataSource, stored, records);
				if (axon != null) {
					axon.fill(records);
				}
				stored = records;
				System.out.printf(Locale.ROOT, "%nStored %,d records%s in %.1f s%n", records,
						(axon != null) ? " (and as many Axon events)" : "", seconds(System.nanoTime() - fill));
				printLoadAverage();
				lines.add(catchUp(dataSource, records, axon, extras && records == extrasAt));
			}
			if (curve.length > 1) {
				System.out.printf(Locale.ROOT,
						"%nCatch-up curve, batches of %d, one segment (records/s; Eventy's ratio to each)%n",
						BATCH_SIZE);
				System.out.printf(Locale.ROOT, "  %10s %12s %12s %12s %10s %10s%n", "records", "scan", "Eventy", "Axon",
						"vs scan", "vs Axon");
				lines.forEach(System.out::println);
			}
			if (live) {
				liveLatency(dataSource);
			}
			printLoadAverage();
		}
		System.exit(0);
	}

	private static String catchUp(DataSource dataSource, int records, @Nullable CatchUpContender axon, boolean extras)
			throws Exception {
		String prefix = "r" + records + "x";
		int warmUps = warmUpRounds(records);
		for (int warmUp = 1; warmUp <= warmUps; warmUp++) {
			subscriptionCatchUp(dataSource, records, prefix + "w" + warmUp, BATCH_SIZE, 1);
			keysetScan(dataSource, records);
			if (axon != null) {
				axon.catchUp(prefix + "axonw" + warmUp, BATCH_SIZE);
			}
		}
		double subscription = 0;
		double scan = 0;
		double axonRate = 0;
		double subscriptionLargeBatches = 0;
		double segmented = 0;
		if (extras) {
			subscriptionCatchUp(dataSource, records, prefix + 200, BATCH_SIZE, SEGMENTS);
		}
		for (int round = 1; round <= ROUNDS; round++) {
			// who goes first rotates from round to round
			for (int turn = 0; turn < 3; turn++) {
				switch ((round + turn) % 3) {
					case 0 -> scan += keysetScan(dataSource, records);
					case 1 -> subscription += subscriptionCatchUp(dataSource, records, prefix + round, BATCH_SIZE, 1);
					default -> axonRate += (axon != null) ? axon.catchUp(prefix + "axon" + round, BATCH_SIZE) : 0;
				}
			}
			if (extras) {
				subscriptionLargeBatches += subscriptionCatchUp(dataSource, records, prefix + (100 + round), 1000, 1);
				segmented += subscriptionCatchUp(dataSource, records, prefix + (200 + round), BATCH_SIZE, SEGMENTS);
			}
		}
		subscription /= ROUNDS;
		scan /= ROUNDS;
		axonRate /= ROUNDS;
		subscriptionLargeBatches /= ROUNDS;
		segmented /= ROUNDS;
		System.out.printf(Locale.ROOT,
				"%nCatch-up over %,d records (mean of %d rounds after %d warm-up round(s); payloads with Jackson %s)%n",
				records, ROUNDS, warmUps, JACKSON_3 ? "3" : "2");
		System.out.printf(Locale.ROOT, "  plain JDBC keyset scan, batches of %d:     %,10.0f records/s%n", BATCH_SIZE,
				scan);
		if (axon != null) {
			System.out.printf(Locale.ROOT,
					"  Axon pooled processor, batches of %d:      %,10.0f records/s  (%.2fx the scan)%n", BATCH_SIZE,
					axonRate, axonRate / scan);
		}
		System.out.printf(Locale.ROOT,
				"  subscription, no-op handler, batches of %d: %,10.0f records/s  (%.2fx the scan%s)%n", BATCH_SIZE,
				subscription, subscription / scan,
				(axon != null) ? String.format(Locale.ROOT, ", %.2fx Axon", subscription / axonRate) : "");
		if (extras) {
			System.out.printf(Locale.ROOT,
					"  subscription, batches of 1000:              %,10.0f records/s  (%.2fx the scan)%n",
					subscriptionLargeBatches, subscriptionLargeBatches / scan);
			System.out.printf(Locale.ROOT,
					"  subscription, %d segments on one instance:   %,10.0f records/s  (%.2fx the scan, %.2fx one segment)%n",
					SEGMENTS, segmented, segmented / scan, segmented / subscription);
		}
		printLoadAverage();
		return String.format(Locale.ROOT, "  %,10d %,12.0f %,12.0f %,12.0f %9.2fx %9.2fx", records, scan, subscription,
				axonRate, subscription / scan, (axon != null) ? subscription / axonRate : Double.NaN);
	}

	/**
	 * Return how many rounds each contender runs unmeasured before the measured ones: at
	 * least one, and enough for {@value #WARM_UP_RECORDS} records, so that a short round
	 * (100,000 records take about half a second) measures code the JIT has compiled, not
	 * the compiling; every contender gets the same.
	 * @param records the records of a round
	 * @return the warm-up rounds
	 */
	static int warmUpRounds(int records) {
		return Math.max(1, (WARM_UP_RECORDS + records - 1) / records);
	}

	private static double subscriptionCatchUp(DataSource dataSource, int records, String name, int batchSize,
			int segments) throws Exception {
		CompletableFuture<Long> caughtUp = new CompletableFuture<>();
		Counter counter = new Counter();
		try (AnnotationConfigApplicationContext context = context(dataSource, batchSize, StartPosition.EARLIEST, name,
				counter, caughtUp, segments)) {
			long elapsed = caughtUp.get(10, TimeUnit.MINUTES) - context.getBean(StartClock.class).started();
			if (counter.count() != records) {
				throw new IllegalStateException("Handled " + counter.count() + " records, expected " + records);
			}
			return records / seconds(elapsed);
		}
	}

	private static double keysetScan(DataSource dataSource, int records) throws SQLException {
		long start = System.nanoTime();
		long count = 0;
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(
						"SELECT position, uuid, stream_type, stream_id, stream_version, kind, namespace, name, "
								+ "protocol_version, version, source, correlation_id, partition_key, request_id, causation_id, "
								+ "traceparent, recorded_at, context, data, destination, request_uuid, ok, error_code, "
								+ "error_message, transaction_id::text AS transaction_text FROM "
								+ SETTINGS.table("records")
								+ " WHERE (transaction_id, position) > (?::xid8, ?) ORDER BY transaction_id, position LIMIT ?")) {
			String transaction = "0";
			long position = 0;
			while (true) {
				statement.setString(1, transaction);
				statement.setLong(2, position);
				statement.setInt(3, BATCH_SIZE);
				int rows = 0;
				try (ResultSet result = statement.executeQuery()) {
					while (result.next()) {
						rows++;
						for (int column = 2; column <= 24; column++) {
							result.getString(column);
						}
						position = result.getLong(1);
						transaction = result.getString(25);
					}
				}
				count += rows;
				if (rows < BATCH_SIZE) {
					break;
				}
			}
		}
		if (count != records) {
			throw new IllegalStateException("Scanned " + count + " records, expected " + records);
		}
		return records / seconds(System.nanoTime() - start);
	}

	private static void liveLatency(DataSource dataSource) throws Exception {
		CompletableFuture<Long> caughtUp = new CompletableFuture<>();
		Counter counter = new Counter();
		counter.latencies = new long[(int) ((LIVE_WARM_UP.toSeconds() + LIVE_MEASURED.toSeconds() + 5)
				* RATE_PER_SECOND)];
		try (AnnotationConfigApplicationContext context = context(dataSource, BATCH_SIZE, StartPosition.LATEST, "live",
				counter, caughtUp, 1)) {
			caughtUp.get(1, TimeUnit.MINUTES);
			RecordFactory factory = recordFactory();
			long interval = TimeUnit.SECONDS.toNanos(1) / RATE_PER_SECOND;
			int warmUp = (int) (LIVE_WARM_UP.toSeconds() * RATE_PER_SECOND);
			int total = warmUp + (int) (LIVE_MEASURED.toSeconds() * RATE_PER_SECOND);
			long next = System.nanoTime();
			// through the store: the notification after the commit is part of the latency
			try (PostgresEventStore store = new PostgresEventStore(dataSource, PostgresStoreSettings.defaults(),
					factory)) {
				for (int i = 0; i < total; i++) {
					long wait = next - System.nanoTime();
					if (wait > 0) {
						LockSupport.parkNanos(wait);
					}
					next += interval;
					store.publish(new OrderPlaced("live-" + i, i, System.nanoTime()));
				}
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (counter.count() < total && System.nanoTime() < deadline) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
			}
			if (counter.count() != total) {
				throw new IllegalStateException("Handled " + counter.count() + " live records, expected " + total);
			}
			long[] measured = Arrays.copyOfRange(counter.latencies, warmUp, total);
			Arrays.sort(measured);
			System.out.printf(Locale.ROOT,
					"%nLive latency, append to handler call, %d appends/s for %d s after a %d s "
							+ "warm-up (%,d samples)%n",
					RATE_PER_SECOND, LIVE_MEASURED.toSeconds(), LIVE_WARM_UP.toSeconds(), measured.length);
			System.out.printf(Locale.ROOT, "  p50 %.2f ms   p90 %.2f ms   p99 %.2f ms   p99.9 %.2f ms   max %.2f ms%n",
					millis(percentile(measured, 50)), millis(percentile(measured, 90)),
					millis(percentile(measured, 99)), millis(percentile(measured, 99.9)),
					millis(measured[measured.length - 1]));
		}
	}

	private static AnnotationConfigApplicationContext context(DataSource dataSource, int batchSize, StartPosition start,
			String beanName, Counter counter, CompletableFuture<Long> caughtUp, int segments) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		RecordFactory factory = recordFactory();
		SubscriptionOptions options = new SubscriptionOptions(batchSize, Duration.ofSeconds(1), start,
				RetryPolicy.defaults());
		context.register(Handlers.class);
		context.registerBean(RecordFactory.class, () -> factory);
		context.registerBean(EventStore.class, NoStore::new);
		context.registerBean(beanName, Counter.class, () -> counter);
		context.registerBean("caughtUp", CaughtUp.class, () -> new CaughtUp(caughtUp));
		context.registerBean(StartClock.class, StartClock::new);
		context.registerBean(PostgresSubscriptions.class, () -> {
			PostgresSubscriptions subscriptions = new PostgresSubscriptions(dataSource, SETTINGS,
					context.getBean(HandlerEndpointRegistry.class), factory.converter(), options,
					new DataSourceTransactionManager(dataSource), context);
			subscriptions.setPostgresOptions(PostgresSubscriptionOptions.defaults().withSegments(segments));
			return subscriptions;
		});
		context.refresh();
		return context;
	}

	private static RecordFactory recordFactory() {
		return new RecordFactory(new RecordTypeRegistry("urn:bench"),
				JACKSON_3 ? new Jackson3PayloadConverter(JsonMapper.builder().build())
						: new JacksonPayloadConverter(new ObjectMapper()),
				PayloadValidator.none(), "urn:bench");
	}

	private static void fill(DataSource dataSource, int stored, int records) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			for (int from = stored + 1; from <= records; from += 10_000) {
				statement.execute("INSERT INTO eventy_records (uuid, stream_type, stream_id, stream_version, kind, "
						+ "namespace, name, protocol_version, version, source, correlation_id, partition_key, "
						+ "recorded_at, context, data) SELECT gen_random_uuid(), 'order', (i % 1000)::text, "
						+ "i / 1000 + 1, 'EVENT', 'urn:bench', 'OrderPlaced', '1.0.0', '1.0.0', 'urn:bench', "
						+ "md5(i::text), 'order-' || (i % 1000), now(), '{}', jsonb_build_object('orderId', "
						+ "'order-' || i, 'amountCents', i, 'sentNanos', 0) FROM generate_series(" + from + ", "
						+ Math.min(from + 9_999, records) + ") i");
			}
			statement.execute("VACUUM ANALYZE eventy_records");
		}
	}

	private static void printLoadAverage() {
		System.out.printf(Locale.ROOT, "%nLoad average (1 min): %.2f on %d cores%n",
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
				Runtime.getRuntime().availableProcessors());
	}

	private static long percentile(long[] sorted, double percentile) {
		int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
	}

	private static double seconds(long nanos) {
		return nanos / 1e9;
	}

	private static double millis(long nanos) {
		return nanos / 1e6;
	}

	@RecordType(namespace = "urn:bench")
	public record OrderPlaced(String orderId, long amountCents, long sentNanos) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableEventHandlers
	static class Handlers {

	}

	static final class Counter {

		/** Handled records; segments call the handler from several threads at once. */
		final AtomicInteger handled = new AtomicInteger();

		long[] latencies;

		@EventHandler
		void on(OrderPlaced event) {
			int count = this.handled.getAndIncrement();
			long[] latencies = this.latencies;
			if (latencies != null && count < latencies.length) {
				latencies[count] = System.nanoTime() - event.sentNanos();
			}
		}

		int count() {
			return this.handled.get();
		}

	}

	/**
	 * Starts the clock of a catch-up just before the subscriptions start (the phase
	 * before theirs), as Axon's clock starts at its processor's {@code start()}: building
	 * the application context (finding the handlers, creating the beans) is not timed for
	 * either.
	 */
	static final class StartClock implements SmartLifecycle {

		private volatile long started;

		private volatile boolean running;

		@Override
		public void start() {
			this.started = System.nanoTime();
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return SmartLifecycle.DEFAULT_PHASE - 1;
		}

		long started() {
			if (this.started == 0) {
				throw new IllegalStateException("The subscriptions did not start");
			}
			return this.started;
		}

	}

	static final class CaughtUp implements ApplicationListener<SubscriptionCaughtUpEvent> {

		private final CompletableFuture<Long> caughtUp;

		CaughtUp(CompletableFuture<Long> caughtUp) {
			this.caughtUp = caughtUp;
		}

		@Override
		public void onApplicationEvent(SubscriptionCaughtUpEvent event) {
			this.caughtUp.complete(System.nanoTime());
		}

	}

	/**
	 * Another engine catching up on the same database, when it is on the class path: Axon
	 * Framework's pooled streaming processor, whose code lives in
	 * {@code src/benchmark/java} and compiles only under {@code -Pbenchmark}.
	 */
	public interface CatchUpContender {

		/** The class of the Axon contender, in {@code src/benchmark/java}. */
		String AXON = "io.eventy.benchmark.AxonCatchUpContender";

		/**
		 * Return the contender's name as printed.
		 * @return the name
		 */
		String name();

		/**
		 * Create the contender's tables on first use and add events until it holds as
		 * many as given, with the same payloads as Eventy's records.
		 * @param events how many events it holds afterwards
		 * @throws SQLException if the database fails
		 */
		void fill(int events) throws SQLException;

		/**
		 * Catch a new processor up on every stored event, with a no-op handler that
		 * deserializes each payload.
		 * @param name the processor's name, new each time
		 * @param batchSize the events per batch
		 * @return events per second, from its start to the last event handled
		 * @throws Exception if it fails
		 */
		double catchUp(String name, int batchSize) throws Exception;

		/**
		 * Create the Axon contender on a database, if it is on the class path.
		 * @param dataSource the database
		 * @return the contender, or {@code null} when run without {@code -Pbenchmark}
		 */
		static @Nullable CatchUpContender axon(DataSource dataSource) {
			try {
				return (CatchUpContender) Class.forName(AXON)
					.getDeclaredConstructor(DataSource.class)
					.newInstance(dataSource);
			}
			catch (ClassNotFoundException ex) {
				return null;
			}
			catch (InvocationTargetException ex) {
				throw new IllegalStateException("Could not create " + AXON, ex.getCause());
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException("Could not create " + AXON, ex);
			}
		}

	}

	static final class NoStore implements EventStore {

		@Override
		public AppendResult append(StreamId stream, ExpectedVersion expected, List<?> payloads) {
			throw new UnsupportedOperationException();
		}

		@Override
		public List<StoredRecord> readStream(StreamId stream, long fromVersion) {
			throw new UnsupportedOperationException();
		}

		@Override
		public List<StoredRecord> readCategory(String streamType, long fromPosition, int limit) {
			throw new UnsupportedOperationException();
		}

		@Override
		public List<StoredRecord> readAll(long fromPosition, int limit) {
			throw new UnsupportedOperationException();
		}

		@Override
		public StoredRecord publish(Object payload) {
			throw new UnsupportedOperationException();
		}

		@Override
		public StoredRecord publish(String qualifiedName, java.util.Map<String, ?> data) {
			throw new UnsupportedOperationException();
		}

	}

}
