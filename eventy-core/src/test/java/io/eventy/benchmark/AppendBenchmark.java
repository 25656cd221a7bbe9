package io.eventy.benchmark;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.eventy.context.EventyIds;
import io.eventy.record.EventyRecord;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordType;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoreTestRecords;
import io.eventy.store.StreamId;
import io.eventy.store.postgres.PostgresEventStore;
import io.eventy.store.postgres.PostgresSchemaInitializer;
import io.eventy.store.postgres.PostgresStoreSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * Compares {@link PostgresEventStore} appends with hand-written JDBC inserts of the same
 * rows into the same table, on embedded PostgreSQL, in one run:
 * <ol>
 * <li>single-record appends, one transaction each, against one {@code INSERT} per
 * transaction;</li>
 * <li>100-record appends against a JDBC batch of 100 {@code INSERT}s in one
 * transaction.</li>
 * </ol>
 * A warm-up round is discarded; then the contenders take turns, round after round, in
 * alternating order, and events per second are summed over the measured rounds. Run with
 * {@code mvn -pl eventy-core -Pbenchmark test-compile exec:java}; see BENCHMARKS.md.
 */
public final class AppendBenchmark {

	private static final int ROUNDS = 6;

	private static final int SINGLE_APPENDS_PER_ROUND = 1500;

	private static final int BATCHES_PER_ROUND = 40;

	private static final int BATCH_SIZE = 100;

	private static final int RECORDS_PER_STREAM = 10;

	private static final String INSERT = "INSERT INTO public.eventy_records (uuid, stream_type, stream_id, "
			+ "stream_version, kind, namespace, name, protocol_version, version, source, correlation_id, "
			+ "partition_key, request_id, causation_id, traceparent, recorded_at, context, data) "
			+ "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)";

	private final HikariDataSource dataSource;

	private final EventStore store;

	private final ObjectMapper objectMapper = new ObjectMapper();

	private long sequence;

	private AppendBenchmark(HikariDataSource dataSource, EventStore store) {
		this.dataSource = dataSource;
		this.store = store;
	}

	/**
	 * Run the benchmark and print the results.
	 * @param args ignored
	 * @throws Exception if the database fails
	 */
	public static void main(String[] args) throws Exception {
		long started = System.nanoTime();
		List<String> summary = new ArrayList<>();
		summary.addAll(runOn("PostgreSQL defaults: fsync=on, synchronous_commit=on (durable commits, as in production)",
				"on"));
		summary
			.addAll(runOn("test settings: fsync=off, synchronous_commit=off (commits cost nothing: CPU only)", "off"));
		System.out.println();
		System.out.println("Summary");
		summary.forEach(System.out::println);
		System.out.printf(Locale.ROOT, "%nTotal run time %.1f s%n", (System.nanoTime() - started) / 1e9);
	}

	private static List<String> runOn(String title, String durability) throws Exception {
		System.out.println();
		System.out.println("=== " + title);
		try (EmbeddedPostgres server = EmbeddedPostgres.builder()
			.setServerConfig("fsync", durability)
			.setServerConfig("synchronous_commit", durability)
			.start(); HikariDataSource dataSource = new HikariDataSource()) {
			dataSource.setDataSource(server.getPostgresDatabase());
			dataSource.setMaximumPoolSize(2);
			PostgresStoreSettings settings = PostgresStoreSettings.defaults();
			new PostgresSchemaInitializer(dataSource, settings).initialize();
			RecordTypeRegistry registry = new RecordTypeRegistry("urn:order-service");
			RecordFactory factory = new RecordFactory(registry, new JacksonPayloadConverter(new ObjectMapper()),
					StoreTestRecords.beanValidation(), "urn:order-service");
			AppendBenchmark benchmark = new AppendBenchmark(dataSource,
					new PostgresEventStore(dataSource, settings, factory));
			return benchmark.run(describe(dataSource), title);
		}
	}

	private List<String> run(String environment, String title) {
		Contender storeSingle = new Contender("Eventy append, 1 record", this::storeSingle);
		Contender jdbcSingle = new Contender("plain JDBC insert, 1 row", this::jdbcSingle);
		Contender storeBatch = new Contender("Eventy append, 100 records", this::storeBatch);
		Contender jdbcBatch = new Contender("plain JDBC batch, 100 rows", this::jdbcBatch);
		System.out.println(environment);
		System.out.printf(Locale.ROOT,
				"%d measured rounds after 1 warm-up round; per round: %d single appends, "
						+ "%d appends of %d records%n%n",
				ROUNDS, SINGLE_APPENDS_PER_ROUND, BATCHES_PER_ROUND, BATCH_SIZE);
		for (int round = 0; round <= ROUNDS; round++) {
			boolean measured = round > 0;
			List<Contender> order = (round % 2 == 0) ? List.of(storeSingle, jdbcSingle, storeBatch, jdbcBatch)
					: List.of(jdbcSingle, storeSingle, jdbcBatch, storeBatch);
			StringBuilder line = new StringBuilder((measured ? "round " + round : "warm-up") + ":");
			for (Contender contender : order) {
				double eventsPerSecond = contender.runRound(measured);
				line.append(String.format(Locale.ROOT, "  %s %,.0f/s", contender.name, eventsPerSecond));
			}
			System.out.println(line);
		}
		List<String> summary = new ArrayList<>();
		summary.add(title);
		summary.addAll(report("(a) single-record appends, one transaction each", storeSingle, jdbcSingle, 0.85));
		summary.addAll(report("(b) 100-record appends, one transaction each", storeBatch, jdbcBatch, 0.80));
		System.out.println();
		summary.forEach(System.out::println);
		return summary;
	}

	private static List<String> report(String title, Contender eventy, Contender jdbc, double target) {
		double ratio = eventy.eventsPerSecond() / jdbc.eventsPerSecond();
		return List.of("  " + title,
				String.format(Locale.ROOT, "    %-28s %,10.0f events/s", eventy.name, eventy.eventsPerSecond()),
				String.format(Locale.ROOT, "    %-28s %,10.0f events/s", jdbc.name, jdbc.eventsPerSecond()),
				String.format(Locale.ROOT, "    ratio %.2f (target >= %.2f): %s", ratio, target,
						(ratio >= target) ? "met" : "MISSED"));
	}

	/** One append of one record per transaction, to streams of ten records. */
	private long storeSingle() {
		for (int i = 0; i < SINGLE_APPENDS_PER_ROUND; i++) {
			long n = this.sequence++;
			StreamId stream = StreamId.of("order", "eventy-" + (n / RECORDS_PER_STREAM));
			this.store.append(stream, ExpectedVersion.exactly(n % RECORDS_PER_STREAM), payload(n));
		}
		return SINGLE_APPENDS_PER_ROUND;
	}

	/** One insert of one row per transaction, the same rows as {@link #storeSingle()}. */
	private long jdbcSingle() {
		try {
			for (int i = 0; i < SINGLE_APPENDS_PER_ROUND; i++) {
				long n = this.sequence++;
				try (Connection connection = this.dataSource.getConnection();
						PreparedStatement insert = connection.prepareStatement(INSERT)) {
					bindRow(insert, "jdbc-" + (n / RECORDS_PER_STREAM), n % RECORDS_PER_STREAM + 1, payload(n));
					insert.executeUpdate();
				}
			}
			return SINGLE_APPENDS_PER_ROUND;
		}
		catch (SQLException | JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Appends of 100 records to a new stream. */
	private long storeBatch() {
		for (int batch = 0; batch < BATCHES_PER_ROUND; batch++) {
			List<OrderPlaced> payloads = new ArrayList<>(BATCH_SIZE);
			for (int i = 0; i < BATCH_SIZE; i++) {
				payloads.add(payload(this.sequence++));
			}
			StreamId stream = StreamId.of("order", "eventy-batch-" + this.sequence);
			this.store.append(stream, ExpectedVersion.noStream(), payloads);
		}
		return (long) BATCHES_PER_ROUND * BATCH_SIZE;
	}

	/**
	 * JDBC batches of 100 inserts in one transaction, the same rows as
	 * {@link #storeBatch()}.
	 */
	private long jdbcBatch() {
		try {
			for (int batch = 0; batch < BATCHES_PER_ROUND; batch++) {
				try (Connection connection = this.dataSource.getConnection()) {
					connection.setAutoCommit(false);
					try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
						String streamId = "jdbc-batch-" + (this.sequence + BATCH_SIZE);
						for (int i = 0; i < BATCH_SIZE; i++) {
							bindRow(insert, streamId, i + 1, payload(this.sequence++));
							insert.addBatch();
						}
						insert.executeBatch();
						connection.commit();
					}
					finally {
						connection.setAutoCommit(true);
					}
				}
			}
			return (long) BATCHES_PER_ROUND * BATCH_SIZE;
		}
		catch (SQLException | JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Bind what a hand-written insert of a record would: ids, envelope and JSON data. */
	private void bindRow(PreparedStatement insert, String streamId, long version, OrderPlaced payload)
			throws SQLException, JsonProcessingException {
		insert.setObject(1, UUID.randomUUID());
		insert.setString(2, "order");
		insert.setString(3, streamId);
		insert.setLong(4, version);
		insert.setString(5, "EVENT");
		insert.setString(6, "urn:shop");
		insert.setString(7, "OrderPlaced");
		insert.setString(8, EventyRecord.PROTOCOL_VERSION);
		insert.setString(9, "1.0.0");
		insert.setString(10, "urn:order-service");
		insert.setString(11, EventyIds.newTraceId());
		insert.setString(12, "order-" + streamId);
		insert.setString(13, null);
		insert.setString(14, null);
		insert.setString(15, null);
		insert.setObject(16, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
		insert.setString(17, "{}");
		insert.setString(18, this.objectMapper.writeValueAsString(payload));
	}

	private static OrderPlaced payload(long n) {
		return new OrderPlaced("order-" + n, "customer-" + (n % 997), 1000 + n % 50_000, "EUR");
	}

	private static String describe(HikariDataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(
						"SELECT version(), current_setting('synchronous_commit'), current_setting('fsync')")) {
			result.next();
			return String.format(Locale.ROOT, "%s%nsynchronous_commit=%s, fsync=%s; Java %s; %d CPUs",
					result.getString(1), result.getString(2), result.getString(3), System.getProperty("java.version"),
					Runtime.getRuntime().availableProcessors());
		}
	}

	/**
	 * An order was placed (the benchmark's payload).
	 *
	 * @param orderId the order
	 * @param customerId the customer
	 * @param amountCents the amount
	 * @param currency the currency
	 */
	@RecordType(namespace = "urn:shop", name = "OrderPlaced")
	public record OrderPlaced(@NotBlank String orderId, @NotBlank String customerId, @PositiveOrZero long amountCents,
			@NotBlank String currency) {
	}

	private static final class Contender {

		private final String name;

		private final LongSupplier round;

		private long events;

		private long nanos;

		Contender(String name, LongSupplier round) {
			this.name = name;
			this.round = round;
		}

		double runRound(boolean measured) {
			long start = System.nanoTime();
			long count = this.round.getAsLong();
			long elapsed = System.nanoTime() - start;
			if (measured) {
				this.events += count;
				this.nanos += elapsed;
			}
			return count * 1e9 / elapsed;
		}

		double eventsPerSecond() {
			return this.events * 1e9 / this.nanos;
		}

	}

}
