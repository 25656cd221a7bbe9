package io.eventy.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.eventy.context.EventyIds;
import io.eventy.record.EventyRecord;
import io.eventy.record.Jackson3PayloadConverter;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.PayloadConverter;
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
import org.jspecify.annotations.Nullable;

/**
 * Compares {@link PostgresEventStore} appends with hand-written JDBC inserts of the same
 * rows into the same table, on embedded PostgreSQL 17, in one run:
 * <ol>
 * <li>(a) single-record appends (with an exact expected version), one transaction each,
 * against one {@code INSERT} per transaction;</li>
 * <li>(a') the same appends against one {@code INSERT} per transaction that checks the
 * stream's version on the records' unique key (information: what the version check costs,
 * no target);</li>
 * <li>(b) 100-record appends against a JDBC batch of 100 {@code INSERT}s in one
 * transaction;</li>
 * <li>(b') 10-record appends against a JDBC batch of 10 {@code INSERT}s in one
 * transaction;</li>
 * <li>(c) durable commits only: 8, then 16 writers at once against as many writing plain
 * inserts;</li>
 * <li>(d) CPU only: the CPU time of a single-record append, in this JVM and in the rest
 * of the machine (the database), per contender.</li>
 * </ol>
 * Under {@code -Pbenchmark}, Axon Framework's JDBC event store joins (a), (b), (c) and
 * (d) as a third contender ({@link AppendContender}): the event store a Spring user would
 * pick instead, on its own table in the same database, prefilled alike. The tables start
 * with {@value #PREFILLED_RECORDS} records, vacuumed and analyzed, as on a database in
 * service. Both run twice: on a server with PostgreSQL's default durability (every commit
 * waits for the WAL to reach the disk, as in production) and on one with {@code fsync}
 * and {@code synchronous_commit} off (the test suite's settings, where commits cost
 * nothing and only CPU is measured).
 * <p>
 * The contenders alternate operation by operation (who goes first rotates), so that the
 * load of a shared machine falls on all alike. A warm-up round is discarded; events per
 * second are summed over the measured rounds. Run with
 * {@code mvn -pl eventy-core -Pbenchmark test-compile exec:java}; see BENCHMARKS.md.
 */
public final class AppendBenchmark implements AutoCloseable {

	private static final int ROUNDS = 6;

	private static final int BATCH_SIZE = 100;

	private static final int SMALL_BATCH_SIZE = 10;

	private static final int RECORDS_PER_STREAM = 10;

	private static final int PREFILLED_RECORDS = 200_000;

	private static final int WARM_UP_OPERATIONS = 20_000;

	/** The writers of (c): the 8 threads and 16 writers of issue 11's targets. */
	private static final int[] WRITERS = { 8, 16 };

	private static final int APPENDS_PER_WRITER = 1_500;

	private static final int CPU_BLOCK = 2_000;

	/** The insert of both JDBC contenders, up to its values. */
	private static final String INSERT_INTO = "INSERT INTO public.eventy_records (uuid, stream_type, stream_id, "
			+ "stream_version, kind, namespace, name, protocol_version, version, source, correlation_id, "
			+ "partition_key, request_id, causation_id, traceparent, recorded_at, context, data) ";

	private static final String INSERT = INSERT_INTO
			+ "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)";

	/**
	 * The same insert, only when the stream's last version is the expected one: the
	 * cheapest version check a hand-written store would do (the unique key on the stream
	 * version catches a concurrent writer).
	 */
	private static final String CHECKED_INSERT = INSERT_INTO
			+ "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb "
			+ "WHERE coalesce((SELECT max(stream_version) FROM public.eventy_records "
			+ "WHERE stream_type = ? AND stream_id = ?), 0) = ?";

	private final HikariDataSource dataSource;

	private final EventStore store;

	private final @Nullable AppendContender axon;

	/**
	 * Payloads with Jackson 3, as on Spring Boot 4 (its {@code JsonMapper}), unless
	 * {@code -Dbenchmark.jackson=2}: Jackson 2, as an application without Jackson 3.
	 */
	private static final boolean JACKSON_3 = !"2".equals(System.getProperty("benchmark.jackson"));

	private final ObjectMapper objectMapper = new ObjectMapper();

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final int singlesPerRound;

	private final int batchesPerRound;

	private long eventySequence;

	private long jdbcSequence;

	private long checkedSequence;

	private long eventyBatchSequence;

	private long jdbcBatchSequence;

	private long axonSequence;

	private long axonBatchSequence;

	private AppendBenchmark(HikariDataSource dataSource, EventStore store, @Nullable AppendContender axon,
			int singlesPerRound, int batchesPerRound) {
		this.dataSource = dataSource;
		this.store = store;
		this.axon = axon;
		this.singlesPerRound = singlesPerRound;
		this.batchesPerRound = batchesPerRound;
	}

	/**
	 * Close the store (its notification thread), before the pool it borrows from.
	 * @throws Exception if the store fails to close
	 */
	@Override
	public void close() throws Exception {
		if (this.store instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

	/**
	 * Run the benchmark and print the results.
	 * @param args ignored
	 * @throws Exception if the database fails
	 */
	public static void main(String[] args) throws Exception {
		long started = System.nanoTime();
		warmUpJvm();
		List<String> summary = new ArrayList<>();
		summary.addAll(runOn("Durable commits: fsync=on, synchronous_commit=on (PostgreSQL defaults, as in production)",
				"on", 250, 12));
		summary
			.addAll(runOn("CPU only: fsync=off, synchronous_commit=off (the test suite's settings)", "off", 1500, 30));
		System.out.println();
		System.out.println("Summary (events/s summed over the measured rounds; median of the per-round ratios)");
		summary.forEach(System.out::println);
		System.out.printf(Locale.ROOT, "%nTotal run time %.1f s%n", (System.nanoTime() - started) / 1e9);
	}

	/**
	 * Run every contender's code until the JIT has compiled it, on a server of its own:
	 * the store's path (record type lookup, Bean Validation, Jackson, the envelope) is
	 * far longer than a JDBC insert's, and a warm-up round of a few hundred appends
	 * leaves it running in the interpreter for the first measured rounds.
	 */
	private static void warmUpJvm() throws Exception {
		long started = System.nanoTime();
		try (EmbeddedPostgres server = server("off");
				HikariDataSource dataSource = new HikariDataSource();
				AppendBenchmark benchmark = create(server, dataSource, 0, 0)) {
			for (int i = 0; i < WARM_UP_OPERATIONS; i++) {
				benchmark.storeSingle();
				benchmark.jdbcSingle();
				benchmark.jdbcCheckedSingle();
				if (benchmark.axon != null) {
					benchmark.axonSingle();
				}
				if (i % BATCH_SIZE == 0) {
					benchmark.storeBatch(BATCH_SIZE);
					benchmark.jdbcBatch(BATCH_SIZE);
					if (benchmark.axon != null) {
						benchmark.axonBatch(BATCH_SIZE);
					}
				}
				if (i % SMALL_BATCH_SIZE == 0) {
					benchmark.storeBatch(SMALL_BATCH_SIZE);
					benchmark.jdbcBatch(SMALL_BATCH_SIZE);
					if (benchmark.axon != null) {
						benchmark.axonBatch(SMALL_BATCH_SIZE);
					}
				}
			}
		}
		System.out.printf(Locale.ROOT, "JVM warm-up: %,d operations of each contender on a server of its own, %.1f s%n",
				WARM_UP_OPERATIONS, (System.nanoTime() - started) / 1e9);
	}

	private static PayloadConverter payloadConverter() {
		return JACKSON_3 ? new Jackson3PayloadConverter(JsonMapper.builder().build())
				: new JacksonPayloadConverter(new ObjectMapper());
	}

	private static EmbeddedPostgres server(String durability) throws IOException {
		return EmbeddedPostgres.builder()
			.setServerConfig("fsync", durability)
			.setServerConfig("synchronous_commit", durability)
			.start();
	}

	private static AppendBenchmark create(EmbeddedPostgres server, HikariDataSource dataSource, int singlesPerRound,
			int batchesPerRound) throws SQLException {
		dataSource.setDataSource(server.getPostgresDatabase());
		dataSource.setMaximumPoolSize(2);
		PostgresStoreSettings settings = PostgresStoreSettings.defaults();
		new PostgresSchemaInitializer(dataSource, settings).initialize();
		prefill(dataSource);
		AppendContender axon = AppendContender.axon(dataSource);
		if (axon != null) {
			axon.prefill(PREFILLED_RECORDS);
		}
		RecordTypeRegistry registry = new RecordTypeRegistry("urn:order-service");
		RecordFactory factory = new RecordFactory(registry, payloadConverter(), StoreTestRecords.beanValidation(),
				"urn:order-service");
		return new AppendBenchmark(dataSource, new PostgresEventStore(dataSource, settings, factory), axon,
				singlesPerRound, batchesPerRound);
	}

	private static List<String> runOn(String title, String durability, int singlesPerRound, int batchesPerRound)
			throws Exception {
		System.out.println();
		System.out.println("=== " + title);
		try (EmbeddedPostgres server = server(durability);
				HikariDataSource dataSource = new HikariDataSource();
				AppendBenchmark benchmark = create(server, dataSource, singlesPerRound, batchesPerRound)) {
			System.out.println(describe(dataSource));
			System.out
				.println((benchmark.axon != null) ? "Axon Framework's JDBC event store joins (a), (b), (c) and (d)"
						: "Axon Framework is not on the class path: run with -Pbenchmark to compare with it");
			System.out.printf(Locale.ROOT,
					"1 warm-up round and %d measured rounds of %d single appends and %d "
							+ "appends of %d records per contender%n",
					ROUNDS, singlesPerRound, batchesPerRound, BATCH_SIZE);
			List<String> summary = new ArrayList<>();
			summary.add(title);
			Contender eventy = new Contender("Eventy append", benchmark::storeSingle, Double.NaN);
			summary.addAll(benchmark.compare("(a) single-record appends, one transaction each", 1, singlesPerRound,
					benchmark.withAxon(List.of(eventy, new Contender("plain JDBC insert", benchmark::jdbcSingle, 0.95)),
							new Contender("Axon append", benchmark::axonSingle, 1.0))));
			summary.addAll(benchmark.compare("(a') single-record appends against JDBC with a version check (no target)",
					1, singlesPerRound,
					List.of(eventy, new Contender("checked JDBC insert", benchmark::jdbcCheckedSingle, Double.NaN))));
			summary.addAll(benchmark.compare("(b') 10-record appends, one transaction each", SMALL_BATCH_SIZE,
					batchesPerRound * 5,
					benchmark.withAxon(List.of(
							new Contender("Eventy append", () -> benchmark.storeBatch(SMALL_BATCH_SIZE), Double.NaN),
							new Contender("plain JDBC batch", () -> benchmark.jdbcBatch(SMALL_BATCH_SIZE), 0.95)),
							new Contender("Axon append", () -> benchmark.axonBatch(SMALL_BATCH_SIZE), 1.0))));
			summary.addAll(benchmark.compare("(b) 100-record appends, one transaction each", BATCH_SIZE,
					batchesPerRound,
					benchmark.withAxon(
							List.of(new Contender("Eventy append", () -> benchmark.storeBatch(BATCH_SIZE), Double.NaN),
									new Contender("plain JDBC batch", () -> benchmark.jdbcBatch(BATCH_SIZE), 0.80)),
							new Contender("Axon append", () -> benchmark.axonBatch(BATCH_SIZE), Double.NaN))));
			if (durability.equals("on")) {
				for (int writers : WRITERS) {
					summary.addAll(concurrentWriters(server, writers));
				}
			}
			else {
				summary.addAll(
						benchmark
							.cpuPerAppend(benchmark.withAxon(
									List.of(eventy,
											new Contender("plain JDBC insert", benchmark::jdbcSingle, Double.NaN),
											new Contender("checked JDBC insert", benchmark::jdbcCheckedSingle,
													Double.NaN)),
									new Contender("Axon append", benchmark::axonSingle, Double.NaN))));
			}
			return summary;
		}
	}

	/**
	 * (c) Writers at once, each appending single records to streams of its own, one
	 * transaction each, with durable commits: what concurrent commits cost when they can
	 * share WAL flushes. Eventy against plain JDBC inserts (and Axon when on the class
	 * path), in turn, who goes first rotating, {@value #APPENDS_PER_WRITER} appends per
	 * writer and round.
	 */
	private static List<String> concurrentWriters(EmbeddedPostgres server, int writers) throws Exception {
		System.out.printf(Locale.ROOT, "(c) %d writers at once, single-record appends, one transaction each%n",
				writers);
		try (HikariDataSource pool = new HikariDataSource()) {
			pool.setDataSource(server.getPostgresDatabase());
			// one connection more than the appending threads, as the README advises: the
			// store's notification borrows one for a statement now and then
			pool.setMaximumPoolSize(writers + 1);
			pool.setMinimumIdle(writers + 1);
			RecordFactory factory = new RecordFactory(new RecordTypeRegistry("urn:order-service"), payloadConverter(),
					StoreTestRecords.beanValidation(), "urn:order-service");
			try (PostgresEventStore store = new PostgresEventStore(pool, PostgresStoreSettings.defaults(), factory)) {
				AppendContender axon = AppendContender.axon(pool);
				AppendBenchmark benchmark = new AppendBenchmark(pool, store, axon, 0, 0);
				List<String> names = new ArrayList<>(List.of("Eventy append", "plain JDBC insert"));
				List<WriterOperation> operations = new ArrayList<>();
				operations.add(
						(round, writer, i) -> store.append(
								StreamId.of("order",
										"w" + writers + "." + round + "-eventy-" + writer + "-"
												+ (i / RECORDS_PER_STREAM)),
								ExpectedVersion.exactly(i % RECORDS_PER_STREAM), payload(i)));
				operations.add((round, writer, i) -> benchmark.jdbcInsert(
						"w" + writers + "." + round + "-jdbc-" + writer + "-" + (i / RECORDS_PER_STREAM),
						i % RECORDS_PER_STREAM + 1, payload(i)));
				if (axon != null) {
					names.add("Axon append");
					operations.add((round, writer, i) -> axon.appendOne(
							"w" + writers + "." + round + "-axon-" + writer + "-" + (i / RECORDS_PER_STREAM),
							i % RECORDS_PER_STREAM, payload(i)));
				}
				int count = operations.size();
				long[] totals = new long[count];
				double events = (double) writers * APPENDS_PER_WRITER;
				for (int round = 0; round <= ROUNDS / 2; round++) {
					long[] nanos = new long[count];
					for (int turn = 0; turn < count; turn++) {
						int c = (round + turn) % count;
						nanos[c] = benchmark.writers(names.get(c), writers, round, operations.get(c));
					}
					StringBuilder line = new StringBuilder(
							String.format(Locale.ROOT, "  %-8s", (round == 0) ? "warm-up" : "round " + round));
					for (int c = 0; c < count; c++) {
						line.append(String.format(Locale.ROOT, "%s %s %,8.0f events/s", (c == 0) ? "" : ",",
								names.get(c), events * 1e9 / nanos[c]));
						if (c > 0) {
							line.append(String.format(Locale.ROOT, " (%.2f)", (double) nanos[c] / nanos[0]));
						}
						if (round > 0) {
							totals[c] += nanos[c];
						}
					}
					System.out.println(line);
				}
				double measured = (ROUNDS / 2) * events;
				List<String> summary = new ArrayList<>();
				// issue 11: 8 writers >= 0.95x plain JDBC and >= 1.0x Axon, 16 >= 0.9x
				// plain JDBC
				double[] targets = (writers == 16) ? new double[] { 0, 0.90, Double.NaN }
						: new double[] { 0, 0.95, 1.0 };
				summary.add(String.format(Locale.ROOT, "  (c) %d writers at once", writers));
				for (int c = 0; c < count; c++) {
					summary.add(String.format(Locale.ROOT, "    %-20s %,10.0f events/s", names.get(c),
							measured * 1e9 / totals[c]));
				}
				for (int c = 1; c < count; c++) {
					double ratio = (double) totals[c] / totals[0];
					summary.add(String.format(Locale.ROOT, "    ratio to %s %.2f%s", names.get(c), ratio,
							Double.isNaN(targets[c]) ? "" : String.format(Locale.ROOT, ", target >= %.2f: %s",
									targets[c], (ratio >= targets[c]) ? "met" : "MISSED")));
				}
				return summary;
			}
		}
	}

	/**
	 * (d) The CPU time of single-record appends, JVM and the rest of the machine (the
	 * database), in blocks of {@value #CPU_BLOCK} appends of one contender at a time.
	 */
	private List<String> cpuPerAppend(List<Contender> contenders) throws Exception {
		System.out.printf(Locale.ROOT, "(d) CPU per single-record append, blocks of %,d appends per contender%n",
				CPU_BLOCK);
		int count = contenders.size();
		long[] jvm = new long[count];
		long[] rest = new long[count];
		for (int round = 0; round <= ROUNDS / 2; round++) {
			for (int turn = 0; turn < count; turn++) {
				int c = (round + turn) % count;
				long[] before = cpuNanos();
				for (int i = 0; i < CPU_BLOCK; i++) {
					contenders.get(c).operation().run();
				}
				long[] after = cpuNanos();
				if (round > 0) {
					jvm[c] += after[0] - before[0];
					rest[c] += (after[1] - before[1]) - (after[0] - before[0]);
				}
			}
		}
		List<String> summary = new ArrayList<>();
		summary.add("  (d) CPU per single-record append (no target)");
		double appends = (double) (ROUNDS / 2) * CPU_BLOCK;
		for (int c = 0; c < count; c++) {
			String line = String.format(Locale.ROOT, "    %-20s this JVM %5.1f µs + the rest (the database) %5.1f µs",
					contenders.get(c).name(), jvm[c] / 1e3 / appends, rest[c] / 1e3 / appends);
			System.out.println(line);
			summary.add(line);
		}
		return summary;
	}

	/**
	 * Run writer threads that each call an append {@value #APPENDS_PER_WRITER} times, and
	 * return the nanoseconds until the last one is done.
	 */
	private long writers(String name, int writers, int round, WriterOperation operation) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(writers);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> done = new ArrayList<>();
			for (int writer = 0; writer < writers; writer++) {
				int id = writer;
				done.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < APPENDS_PER_WRITER; i++) {
						operation.run(round, id, i);
					}
					return null;
				}));
			}
			long[] cpu = cpuNanos();
			long started = System.nanoTime();
			start.countDown();
			for (Future<?> future : done) {
				future.get();
			}
			long elapsed = System.nanoTime() - started;
			long[] used = cpuNanos();
			double appends = (double) writers * APPENDS_PER_WRITER;
			System.out.printf(Locale.ROOT,
					"           %-18s CPU per append: this JVM %.1f µs, the rest (the database) %.1f µs%n", name,
					(used[0] - cpu[0]) / 1e3 / appends, ((used[1] - cpu[1]) - (used[0] - cpu[0])) / 1e3 / appends);
			return elapsed;
		}
		finally {
			executor.shutdownNow();
		}
	}

	/**
	 * Return the CPU time this JVM and the whole machine used so far.
	 * @return nanoseconds of this process, then of every process (from /proc/stat)
	 */
	private static long[] cpuNanos() throws IOException {
		long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
		String[] total = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
		long ticks = 0;
		// user, nice, system, irq, softirq, steal: busy time (idle and iowait left out)
		for (int field : new int[] { 1, 2, 3, 6, 7, 8 }) {
			ticks += Long.parseLong(total[field]);
		}
		return new long[] { process, ticks * 10_000_000L };
	}

	private List<Contender> withAxon(List<Contender> contenders, Contender axon) {
		if (this.axon == null) {
			return contenders;
		}
		List<Contender> all = new ArrayList<>(contenders);
		all.add(axon);
		return all;
	}

	/**
	 * Run the contenders in turn, operation by operation, the first one (Eventy) against
	 * each other one; who goes first rotates.
	 */
	private List<String> compare(String title, int eventsPerOperation, int operationsPerRound,
			List<Contender> contenders) throws Exception {
		System.out.println(title);
		int count = contenders.size();
		long[] totals = new long[count];
		List<List<Double>> ratios = new ArrayList<>();
		for (int c = 0; c < count; c++) {
			ratios.add(new ArrayList<>());
		}
		double events = (double) operationsPerRound * eventsPerOperation;
		for (int round = 0; round <= ROUNDS; round++) {
			long[] nanos = new long[count];
			for (int i = 0; i < operationsPerRound; i++) {
				for (int turn = 0; turn < count; turn++) {
					int c = (i + turn) % count;
					nanos[c] += time(contenders.get(c).operation());
				}
			}
			StringBuilder line = new StringBuilder(
					String.format(Locale.ROOT, "  %-8s", (round == 0) ? "warm-up" : "round " + round));
			for (int c = 0; c < count; c++) {
				line.append(String.format(Locale.ROOT, "%s %s %,8.0f events/s", (c == 0) ? "" : ",",
						contenders.get(c).name(), events * 1e9 / nanos[c]));
				if (c > 0) {
					double ratio = (double) nanos[c] / nanos[0];
					line.append(String.format(Locale.ROOT, " (%.2f)", ratio));
					if (round > 0) {
						ratios.get(c).add(ratio);
					}
				}
				if (round > 0) {
					totals[c] += nanos[c];
				}
			}
			System.out.println(line);
		}
		List<String> summary = new ArrayList<>();
		summary.add("  " + title);
		double measured = ROUNDS * events;
		for (int c = 0; c < count; c++) {
			summary.add(String.format(Locale.ROOT, "    %-20s %,10.0f events/s", contenders.get(c).name(),
					measured * 1e9 / totals[c]));
		}
		for (int c = 1; c < count; c++) {
			List<Double> sorted = ratios.get(c);
			Collections.sort(sorted);
			double median = (sorted.get((sorted.size() - 1) / 2) + sorted.get(sorted.size() / 2)) / 2;
			double ratio = (double) totals[c] / totals[0];
			double target = contenders.get(c).target();
			summary.add(String.format(Locale.ROOT, "    ratio to %s %.2f (per-round median %.2f, range %.2f-%.2f)%s",
					contenders.get(c).name(), ratio, median, sorted.get(0), sorted.get(sorted.size() - 1),
					Double.isNaN(target) ? "" : String.format(Locale.ROOT, ", target >= %.2f: %s", target,
							(ratio >= target) ? "met" : "MISSED")));
		}
		return summary;
	}

	/**
	 * Fill the tables with {@value #PREFILLED_RECORDS} records in streams of ten, then
	 * vacuum and analyze them, as on a database that has been running for a while: on
	 * nearly empty tables the planner rightly prefers scans, and statements prepared then
	 * keep those plans while the benchmark grows the tables.
	 */
	private static void prefill(HikariDataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("INSERT INTO public.eventy_records (uuid, stream_type, stream_id, stream_version, kind, "
					+ "namespace, name, protocol_version, version, source, correlation_id, partition_key, recorded_at, "
					+ "context, data) SELECT gen_random_uuid(), 'order', 'prefilled-' || (n / 10), n % 10 + 1, 'EVENT', "
					+ "'urn:shop', 'OrderPlaced', '3.0.0', '1.0.0', 'urn:order-service', md5(n::text), "
					+ "'order-prefilled-' || (n / 10), now(), '{}', jsonb_build_object('orderId', 'order-' || n, "
					+ "'customerId', 'customer-' || (n % 997), 'amountCents', 1000 + n, 'currency', 'EUR') "
					+ "FROM generate_series(0, " + (PREFILLED_RECORDS - 1) + ") AS n");
			statement.execute("VACUUM ANALYZE public.eventy_records");
		}
	}

	private static long time(Operation operation) throws Exception {
		long start = System.nanoTime();
		operation.run();
		return System.nanoTime() - start;
	}

	/**
	 * One record, one transaction, streams of ten records, each append expecting the
	 * version it read.
	 */
	private void storeSingle() {
		long n = this.eventySequence++;
		StreamId stream = StreamId.of("order", "eventy-" + (n / RECORDS_PER_STREAM));
		this.store.append(stream, ExpectedVersion.exactly(n % RECORDS_PER_STREAM), payload(n));
	}

	/** One row, one transaction: the rows {@link #storeSingle()} writes. */
	private void jdbcSingle() throws SQLException, JsonProcessingException {
		long n = this.jdbcSequence++;
		jdbcInsert("jdbc-" + (n / RECORDS_PER_STREAM), n % RECORDS_PER_STREAM + 1, payload(n));
	}

	private void jdbcInsert(String streamId, long version, OrderPlaced payload)
			throws SQLException, JsonProcessingException {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement insert = connection.prepareStatement(INSERT)) {
			bindRow(insert, streamId, version, payload);
			insert.executeUpdate();
		}
	}

	/**
	 * One row, one transaction, inserted only if the stream is at the expected version:
	 * the version check of {@link #storeSingle()}, written by hand.
	 */
	private void jdbcCheckedSingle() throws SQLException, JsonProcessingException {
		long n = this.checkedSequence++;
		String streamId = "checked-" + (n / RECORDS_PER_STREAM);
		long expected = n % RECORDS_PER_STREAM;
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement insert = connection.prepareStatement(CHECKED_INSERT)) {
			bindRow(insert, streamId, expected + 1, payload(n));
			insert.setString(19, "order");
			insert.setString(20, streamId);
			insert.setLong(21, expected);
			if (insert.executeUpdate() != 1) {
				throw new IllegalStateException("Stream " + streamId + " is not at version " + expected);
			}
		}
	}

	/** Records appended to a new stream. */
	private void storeBatch(int size) {
		List<OrderPlaced> payloads = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			payloads.add(payload(this.eventyBatchSequence++));
		}
		this.store.append(StreamId.of("order", "eventy-batch-" + this.eventyBatchSequence), ExpectedVersion.noStream(),
				payloads);
	}

	/**
	 * Inserts in a JDBC batch, one transaction: the rows {@link #storeBatch(int)} writes.
	 */
	private void jdbcBatch(int size) throws SQLException, JsonProcessingException {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
				String streamId = "jdbc-batch-" + (this.jdbcBatchSequence + size);
				for (int i = 0; i < size; i++) {
					bindRow(insert, streamId, i + 1, payload(this.jdbcBatchSequence++));
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

	/** One event, expecting its aggregate's number: {@link #storeSingle()} on Axon. */
	private void axonSingle() throws Exception {
		long n = this.axonSequence++;
		axon().appendOne("axon-" + (n / RECORDS_PER_STREAM), n % RECORDS_PER_STREAM, payload(n));
	}

	/** Events to a new aggregate: {@link #storeBatch(int)} on Axon. */
	private void axonBatch(int size) throws Exception {
		List<OrderPlaced> payloads = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			payloads.add(payload(this.axonBatchSequence++));
		}
		axon().appendMany("axon-batch-" + this.axonBatchSequence, payloads);
	}

	private AppendContender axon() {
		AppendContender axon = this.axon;
		if (axon == null) {
			throw new IllegalStateException("Axon is not on the class path");
		}
		return axon;
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
		insert.setString(18, JACKSON_3 ? this.jsonMapper.writeValueAsString(payload)
				: this.objectMapper.writeValueAsString(payload));
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
			return String.format(Locale.ROOT,
					"%s%nsynchronous_commit=%s, fsync=%s; Java %s; %d CPUs; load average %s; payloads with Jackson %s",
					result.getString(1), result.getString(2), result.getString(3), System.getProperty("java.version"),
					Runtime.getRuntime().availableProcessors(), loadAverage(), JACKSON_3 ? "3" : "2");
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

	@FunctionalInterface
	private interface Operation {

		void run() throws Exception;

	}

	/**
	 * One contender of a comparison.
	 *
	 * @param name its name as printed
	 * @param operation one operation
	 * @param target the least ratio of Eventy to it, or {@code NaN} for none
	 */
	private record Contender(String name, Operation operation, double target) {
	}

	@FunctionalInterface
	private interface WriterOperation {

		void run(int round, int writer, long append) throws Exception;

	}

	/**
	 * An order was placed (the benchmark's payload, checked with Bean Validation).
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

}
