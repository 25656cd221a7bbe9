package io.eventy.benchmark;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.eventy.aggregate.Aggregate;
import io.eventy.aggregate.AggregateType;
import io.eventy.aggregate.Aggregates;
import io.eventy.aggregate.Apply;
import io.eventy.aggregate.Snapshots;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordType;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StreamId;
import io.eventy.store.postgres.PostgresEventStore;
import io.eventy.store.postgres.PostgresSchemaInitializer;
import io.eventy.store.postgres.PostgresSnapshotStore;
import io.eventy.store.postgres.PostgresStoreSettings;
import io.eventy.testsupport.PostgresTestDatabase;

/**
 * The time to load an aggregate whose stream holds {@value #RECORDS} records: replayed
 * from its first record, and from a snapshot taken at its last one; against plain JDBC
 * that reads the same rows' {@code data} and converts each with Jackson, in the same run.
 * Loads of the three alternate (who goes first rotates); the median of each is printed
 * with the ratios. Run with {@code mvn -pl eventy-core -Pbenchmark test-compile exec:java
 * -Dexec.mainClass=io.eventy.benchmark.AggregateBenchmark}; see BENCHMARKS.md.
 */
public final class AggregateBenchmark {

	private static final int RECORDS = 10_000;

	private static final int WARM_UP_LOADS = 30;

	private static final int ROUNDS = 15;

	private static final StreamId STREAM = StreamId.of("account", "benchmark");

	private static final AggregateType<Account> REPLAYED = AggregateType.of(Account.class);

	private static final AggregateType<Account> SNAPSHOTTED = REPLAYED.withSnapshots(Snapshots.every(100));

	private static final String READ_DATA = "SELECT data::text FROM eventy_records "
			+ "WHERE stream_type = ? AND stream_id = ? AND stream_version >= 1 ORDER BY stream_version";

	private static final ObjectMapper objectMapper = new ObjectMapper();

	private AggregateBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		PostgresStoreSettings settings = PostgresStoreSettings.defaults();
		try (HikariDataSource dataSource = new HikariDataSource()) {
			dataSource.setDataSource(PostgresTestDatabase.newDatabase());
			dataSource.setMaximumPoolSize(4);
			new PostgresSchemaInitializer(dataSource, settings).initialize();
			RecordFactory records = new RecordFactory(new RecordTypeRegistry("urn:bench"),
					new JacksonPayloadConverter(objectMapper), PayloadValidator.none(), "urn:bench");
			try (PostgresEventStore store = new PostgresEventStore(dataSource, settings, records);
					Aggregates aggregates = new Aggregates(store, records,
							new PostgresSnapshotStore(dataSource, settings), Aggregates.DEFAULT_MAX_ATTEMPTS)) {
				fill(store);
				// the first load with snapshots on takes one at the stream's last version
				aggregates.load(STREAM, SNAPSHOTTED);
				awaitSnapshot(dataSource);
				run(dataSource, aggregates);
			}
		}
		System.exit(0);
	}

	private static void run(HikariDataSource dataSource, Aggregates aggregates) throws Exception {
		List<Contender> contenders = List.of(new Contender("replayed from the first record", () -> {
			check(aggregates.load(STREAM, REPLAYED));
		}), new Contender("from a snapshot at the last record", () -> {
			check(aggregates.load(STREAM, SNAPSHOTTED));
		}), new Contender("plain JDBC read of the records' data", () -> jdbcLoad(dataSource)));
		for (int i = 0; i < WARM_UP_LOADS; i++) {
			for (Contender contender : contenders) {
				contender.load.run();
			}
		}
		long[][] nanos = new long[contenders.size()][ROUNDS];
		for (int round = 0; round < ROUNDS; round++) {
			for (int turn = 0; turn < contenders.size(); turn++) {
				int c = (round + turn) % contenders.size();
				long started = System.nanoTime();
				contenders.get(c).load.run();
				nanos[c][round] = System.nanoTime() - started;
			}
		}
		System.out.printf(Locale.ROOT, "%nLoad of an aggregate whose stream holds %,d records (median of %d loads "
				+ "each, after %d warm-up loads)%n", RECORDS, ROUNDS, WARM_UP_LOADS);
		double[] medians = new double[contenders.size()];
		for (int c = 0; c < contenders.size(); c++) {
			long[] sorted = nanos[c].clone();
			Arrays.sort(sorted);
			medians[c] = sorted[ROUNDS / 2] / 1e6;
			System.out.printf(Locale.ROOT, "  %-38s %9.2f ms  (range %.2f-%.2f)%n", contenders.get(c).name, medians[c],
					sorted[0] / 1e6, sorted[ROUNDS - 1] / 1e6);
		}
		System.out.printf(Locale.ROOT, "  replayed / plain JDBC read:  %.2fx the time%n", medians[0] / medians[2]);
		System.out.printf(Locale.ROOT, "  replayed / from a snapshot:  %.0fx faster with the snapshot%n",
				medians[0] / medians[1]);
		System.out.printf(Locale.ROOT, "%nLoad average (1 min): %.2f on %d cores%n",
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
				Runtime.getRuntime().availableProcessors());
	}

	private static void fill(PostgresEventStore store) {
		List<Object> chunk = new ArrayList<>();
		long version = 0;
		for (int i = 1; i <= RECORDS; i++) {
			chunk.add(new Deposited(i % 100 + 1, "benchmark deposit " + i));
			if (chunk.size() == 1000) {
				ExpectedVersion expected = (version == 0) ? ExpectedVersion.noStream()
						: ExpectedVersion.exactly(version);
				version = store.append(STREAM, expected, chunk).streamVersion();
				chunk.clear();
			}
		}
	}

	private static void awaitSnapshot(HikariDataSource dataSource) throws Exception {
		long deadline = System.nanoTime() + 10_000_000_000L;
		while (System.nanoTime() < deadline) {
			try (Connection connection = dataSource.getConnection();
					PreparedStatement statement = connection
						.prepareStatement("SELECT stream_version FROM eventy_snapshots");
					ResultSet result = statement.executeQuery()) {
				if (result.next() && result.getLong(1) == RECORDS) {
					return;
				}
			}
			Thread.onSpinWait();
		}
		throw new IllegalStateException("No snapshot at version " + RECORDS + " after 10 s");
	}

	private static void jdbcLoad(HikariDataSource dataSource) {
		long balance = 0;
		int count = 0;
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(READ_DATA)) {
			statement.setString(1, STREAM.type());
			statement.setString(2, STREAM.id());
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					balance += objectMapper.readValue(result.getString(1), Deposited.class).amountCents();
					count++;
				}
			}
		}
		catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
		if (count != RECORDS || balance != expectedBalance()) {
			throw new IllegalStateException("JDBC read " + count + " records, balance " + balance);
		}
	}

	private static void check(Aggregate<Account> loaded) {
		if (loaded.version() != RECORDS || loaded.state().balanceCents() != expectedBalance()) {
			throw new IllegalStateException("Loaded " + loaded);
		}
	}

	private static long expectedBalance() {
		long balance = 0;
		for (int i = 1; i <= RECORDS; i++) {
			balance += i % 100 + 1;
		}
		return balance;
	}

	private record Contender(String name, Runnable load) {
	}

	/**
	 * A deposit.
	 *
	 * @param amountCents how much
	 * @param note what for
	 */
	@RecordType(namespace = "urn:bench", name = "Deposited")
	public record Deposited(long amountCents, String note) {
	}

	/**
	 * The aggregate: an immutable account.
	 *
	 * @param id the account id
	 * @param balanceCents its balance
	 * @param deposits how many deposits it had
	 */
	public record Account(String id, long balanceCents, long deposits) {

		Account(StreamId stream) {
			this(stream.id(), 0, 0);
		}

		@Apply
		Account deposited(Deposited deposited) {
			return new Account(this.id, this.balanceCents + deposited.amountCents(), this.deposits + 1);
		}

	}

}
