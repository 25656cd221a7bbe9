package io.eventy.aggregate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import com.zaxxer.hikari.HikariDataSource;
import io.eventy.aggregate.BankRecords.Account;
import io.eventy.aggregate.BankRecords.AccountNoted;
import io.eventy.aggregate.BankRecords.AccountOpened;
import io.eventy.aggregate.BankRecords.Cart;
import io.eventy.aggregate.BankRecords.Deposited;
import io.eventy.aggregate.BankRecords.ItemAdded;
import io.eventy.record.RecordFactory;
import io.eventy.store.ConcurrencyException;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoreTestRecords;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.postgres.PostgresEventStore;
import io.eventy.store.postgres.PostgresSchemaInitializer;
import io.eventy.store.postgres.PostgresSnapshotStore;
import io.eventy.store.postgres.PostgresStoreSettings;
import io.eventy.testsupport.LogCapture;
import io.eventy.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AggregatesTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private static final AggregateType<Account> ACCOUNT = AggregateType.of(Account.class);

	private static final AggregateType<Account> SNAPSHOTTED = ACCOUNT.withSnapshots(Snapshots.every(5));

	private static final AggregateType<Cart> CART = AggregateType.of(Cart.class);

	private final AtomicInteger streams = new AtomicInteger();

	private HikariDataSource dataSource;

	private PostgresEventStore store;

	private Aggregates aggregates;

	private JdbcTemplate jdbc;

	private TransactionTemplate transactions;

	@BeforeAll
	void startStore() {
		this.dataSource = new HikariDataSource();
		this.dataSource.setDataSource(PostgresTestDatabase.newDatabase());
		this.dataSource.setMaximumPoolSize(12);
		PostgresStoreSettings settings = PostgresStoreSettings.defaults();
		new PostgresSchemaInitializer(this.dataSource, settings).initialize();
		RecordFactory records = StoreTestRecords.recordFactory();
		this.store = new PostgresEventStore(this.dataSource, settings, records);
		this.aggregates = new Aggregates(this.store, records, new PostgresSnapshotStore(this.dataSource, settings),
				Aggregates.DEFAULT_MAX_ATTEMPTS);
		this.jdbc = new JdbcTemplate(this.dataSource);
		this.jdbc.execute("CREATE TABLE statements (account text NOT NULL)");
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
	}

	@AfterAll
	void stopStore() {
		this.aggregates.close();
		this.store.close();
		this.dataSource.close();
	}

	@Test
	void anAggregateWithoutRecordsIsNewWithItsInitialState() {
		StreamId stream = newAccount();
		Aggregate<Account> loaded = this.aggregates.load(stream, ACCOUNT);
		assertThat(loaded.isNew()).isTrue();
		assertThat(loaded.version()).isZero();
		assertThat(loaded.state()).isEqualTo(new Account(stream.id(), "", 0, false));
	}

	@Test
	void updateAppendsWhatTheCommandDecidedAndReturnsTheStateAfterIt() {
		StreamId stream = newAccount();
		this.aggregates.update(stream, ACCOUNT, (account) -> account.open("ada"));
		Aggregate<Account> updated = this.aggregates.update(stream, ACCOUNT, (account) -> account.deposit(30));
		assertThat(updated.version()).isEqualTo(2);
		assertThat(updated.state()).isEqualTo(new Account(stream.id(), "ada", 30, true));
		assertThat(this.store.readStream(stream)).extracting(StoredRecord::streamVersion).containsExactly(1L, 2L);
		assertThat(this.aggregates.load(stream, ACCOUNT)).isEqualTo(updated);
	}

	@Test
	void aMutableAggregateRecordsItsPayloadsAndChangesOnlyThroughItsApplyMethods() {
		StreamId stream = StreamId.of("cart", "cart-" + this.streams.incrementAndGet());
		this.aggregates.update(stream, CART, (cart) -> {
			cart.add("book");
			cart.add("pen");
			return List.of();
		});
		Aggregate<Cart> loaded = this.aggregates.load(stream, CART);
		assertThat(loaded.version()).isEqualTo(2);
		assertThat(loaded.state().items()).containsExactly("book", "pen");
		assertThatIllegalStateException().isThrownBy(() -> this.aggregates.update(stream, CART, (cart) -> {
			cart.add("book");
			return List.of();
		})).withMessage("book is in the cart already");
		Aggregate<Cart> explicit = this.aggregates.load(stream, CART);
		explicit.state().add("ink");
		assertThat(this.aggregates.save(explicit).state().items()).containsExactly("book", "pen", "ink");
		assertThat(this.store.readStream(stream)).hasSize(3);
	}

	@Test
	void recordsTheAggregateDoesNotApplyAreSkippedButCounted() {
		StreamId stream = newAccount();
		this.aggregates.update(stream, ACCOUNT, (account) -> account.open("ada"));
		this.store.append(stream, ExpectedVersion.exactly(1), new AccountNoted("called the bank"));
		Aggregate<Account> loaded = this.aggregates.load(stream, ACCOUNT);
		assertThat(loaded.version()).isEqualTo(2);
		assertThat(loaded.state().open()).isTrue();
		assertThat(this.aggregates.update(stream, ACCOUNT, (account) -> account.deposit(5)).version()).isEqualTo(3);
	}

	@Test
	void aCommandThatThrowsAppendsNothing() {
		StreamId stream = newAccount();
		assertThatIllegalStateException()
			.isThrownBy(() -> this.aggregates.update(stream, ACCOUNT, (account) -> account.deposit(5)))
			.withMessageContaining("is not open");
		assertThat(this.store.readStream(stream)).isEmpty();
		Aggregate<Account> unchanged = this.aggregates.update(stream, ACCOUNT, (account) -> List.of());
		assertThat(unchanged.isNew()).isTrue();
		assertThat(this.store.readStream(stream)).isEmpty();
	}

	@Test
	void savingAnAggregateSomeoneElseAppendedToSinceItWasLoadedThrowsAndAppendsNothing() {
		StreamId stream = newAccount();
		this.aggregates.update(stream, ACCOUNT, (account) -> account.open("ada"));
		Aggregate<Account> first = this.aggregates.load(stream, ACCOUNT);
		Aggregate<Account> second = this.aggregates.load(stream, ACCOUNT);
		this.aggregates.save(first, first.state().deposit(10));
		assertThatExceptionOfType(ConcurrencyException.class)
			.isThrownBy(() -> this.aggregates.save(second, second.state().deposit(20)))
			.satisfies((ex) -> assertThat(ex.actual()).isEqualTo(2));
		assertThat(this.aggregates.load(stream, ACCOUNT).state().balance()).isEqualTo(10);
	}

	@Test
	void eightConcurrentUpdatersOfOneAggregateEndConsistent() throws Exception {
		StreamId stream = newAccount();
		this.aggregates.update(stream, ACCOUNT, (account) -> account.open("ada"));
		int threads = 8;
		int depositsEach = 15;
		AtomicInteger commandRuns = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try (Aggregates patient = new Aggregates(this.store, StoreTestRecords.recordFactory(), null, 1000)) {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				done.add(executor.submit((Callable<Void>) () -> {
					for (int i = 0; i < depositsEach; i++) {
						patient.update(stream, ACCOUNT, (account) -> {
							commandRuns.incrementAndGet();
							return account.deposit(1);
						});
					}
					return null;
				}));
			}
			for (Future<?> future : done) {
				future.get();
			}
		}
		finally {
			executor.shutdownNow();
		}
		Aggregate<Account> loaded = this.aggregates.load(stream, ACCOUNT);
		assertThat(loaded.state().balance()).isEqualTo(threads * depositsEach);
		assertThat(loaded.version()).isEqualTo(1 + threads * depositsEach);
		assertThat(this.store.readStream(stream)).extracting(StoredRecord::streamVersion)
			.containsExactlyElementsOf(
					java.util.stream.LongStream.rangeClosed(1, 1 + threads * depositsEach).boxed().toList());
		assertThat(commandRuns.get()).isGreaterThanOrEqualTo(threads * depositsEach);
	}

	@Test
	void anUpdateThatLosesEveryAttemptThrowsConcurrencyExceptionAfterTheConfiguredNumber() {
		StreamId stream = newAccount();
		this.aggregates.update(stream, ACCOUNT, (account) -> account.open("ada"));
		AtomicInteger attempts = new AtomicInteger();
		try (Aggregates three = new Aggregates(this.store, StoreTestRecords.recordFactory(), null, 3)) {
			assertThatExceptionOfType(ConcurrencyException.class)
				.isThrownBy(() -> three.update(stream, ACCOUNT, (account) -> {
					attempts.incrementAndGet();
					// another writer wins the race every time
					this.store.append(stream, ExpectedVersion.any(), new AccountNoted("meanwhile"));
					return account.deposit(1);
				}));
		}
		assertThat(attempts).hasValue(3);
		assertThat(this.aggregates.load(stream, ACCOUNT).state().balance()).isZero();
	}

	@Test
	void updatesJoinTheCallersTransaction() {
		StreamId committed = newAccount();
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.update("INSERT INTO statements (account) VALUES (?)", committed.id());
			this.aggregates.update(committed, ACCOUNT, (account) -> account.open("ada"));
			this.aggregates.update(committed, ACCOUNT, (account) -> account.deposit(7));
		});
		assertThat(this.aggregates.load(committed, ACCOUNT).state().balance()).isEqualTo(7);
		StreamId rolledBack = newAccount();
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.update("INSERT INTO statements (account) VALUES (?)", rolledBack.id());
			this.aggregates.update(rolledBack, ACCOUNT, (account) -> account.open("bob"));
			assertThat(this.aggregates.load(rolledBack, ACCOUNT).version()).isEqualTo(1);
			status.setRollbackOnly();
		});
		assertThat(this.aggregates.load(rolledBack, ACCOUNT).isNew()).isTrue();
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM statements WHERE account IN (?, ?)", Long.class,
				committed.id(), rolledBack.id()))
			.isEqualTo(1);
	}

	@Test
	void aSnapshotIsTakenEveryNRecordsAndLoadingStartsFromIt() {
		StreamId stream = newAccount();
		this.aggregates.update(stream, SNAPSHOTTED, (account) -> account.open("ada"));
		for (int i = 0; i < 11; i++) {
			this.aggregates.update(stream, SNAPSHOTTED, (account) -> account.deposit(1));
		}
		await().atMost(DEADLINE).until(() -> snapshotVersion(stream, "1"), (version) -> version == 10);
		assertThat(snapshotState(stream, "1")).contains("\"balance\":9");
		// loading starts from the snapshot: a changed snapshot shows in the state
		this.jdbc.update(
				"UPDATE eventy_snapshots SET state = jsonb_set(state, '{balance}', '1000') " + "WHERE stream_id = ?",
				stream.id());
		Aggregate<Account> loaded = this.aggregates.load(stream, SNAPSHOTTED);
		assertThat(loaded.version()).isEqualTo(12);
		assertThat(loaded.state().balance()).isEqualTo(1002);
		assertThat(this.aggregates.load(stream, ACCOUNT).state().balance()).isEqualTo(11);
	}

	@Test
	void aSnapshotOfAnotherSchemaVersionIsIgnoredAndReplaced() {
		StreamId stream = newAccount();
		this.aggregates.update(stream, SNAPSHOTTED, (account) -> account.open("ada"));
		for (int i = 0; i < 5; i++) {
			this.aggregates.update(stream, SNAPSHOTTED, (account) -> account.deposit(2));
		}
		await().atMost(DEADLINE).until(() -> snapshotVersion(stream, "1"), (version) -> version == 5);
		this.jdbc.update(
				"UPDATE eventy_snapshots SET state = jsonb_set(state, '{balance}', '1000') " + "WHERE stream_id = ?",
				stream.id());
		AggregateType<Account> reshaped = ACCOUNT.withSnapshots(Snapshots.every(5).schemaVersion("2"));
		Aggregate<Account> loaded = this.aggregates.load(stream, reshaped);
		assertThat(loaded.state().balance()).isEqualTo(10);
		await().atMost(DEADLINE).until(() -> snapshotVersion(stream, "2"), (version) -> version == 6);
		assertThat(snapshotState(stream, "2")).contains("\"balance\":10");
	}

	@Test
	void aSnapshotThatCannotBeReadIsIgnoredWithOneWarnAndReplaced() {
		StreamId stream = newAccount();
		this.aggregates.update(stream, SNAPSHOTTED, (account) -> account.open("ada"));
		for (int i = 0; i < 5; i++) {
			this.aggregates.update(stream, SNAPSHOTTED, (account) -> account.deposit(3));
		}
		await().atMost(DEADLINE).until(() -> snapshotVersion(stream, "1"), (version) -> version == 5);
		this.jdbc.update("UPDATE eventy_snapshots SET state = '{\"balance\": \"a lot\"}', stream_version = 4 "
				+ "WHERE stream_id = ?", stream.id());
		try (LogCapture logs = LogCapture.start()) {
			Aggregate<Account> loaded = this.aggregates.load(stream, SNAPSHOTTED);
			assertThat(loaded.state().balance()).isEqualTo(15);
			assertThat(logs.lines((line) -> line.getLevel() == Level.WARN)).singleElement()
				.satisfies((line) -> assertThat(line.getFormattedMessage())
					.startsWith("Eventy ignores the snapshot of " + "Account " + stream
							+ " at version 4 (schema 1): it cannot be read as " + Account.class.getName()));
		}
		await().atMost(DEADLINE).until(() -> snapshotVersion(stream, "1"), (version) -> version == 6);
		assertThat(this.aggregates.load(stream, SNAPSHOTTED).state().balance()).isEqualTo(15);
	}

	@Test
	void noSnapshotIsWrittenForATransactionThatRollsBack() {
		StreamId stream = newAccount();
		this.aggregates.update(stream, SNAPSHOTTED, (account) -> account.open("ada"));
		for (int i = 0; i < 3; i++) {
			this.aggregates.update(stream, SNAPSHOTTED, (account) -> account.deposit(1));
		}
		this.transactions.executeWithoutResult((status) -> {
			this.aggregates.update(stream, SNAPSHOTTED, (account) -> account.deposit(1000));
			status.setRollbackOnly();
		});
		// the committed update to version 5: its snapshot would not replace one of the
		// same version written before it
		this.aggregates.update(stream, SNAPSHOTTED, (account) -> account.deposit(7));
		await().atMost(DEADLINE).until(() -> snapshotVersion(stream, "1"), (version) -> version == 5);
		assertThat(snapshotState(stream, "1")).contains("\"balance\":10");
	}

	private StreamId newAccount() {
		return StreamId.of("account", "account-" + this.streams.incrementAndGet());
	}

	private long snapshotVersion(StreamId stream, String schemaVersion) {
		List<Long> versions = this.jdbc.queryForList(
				"SELECT stream_version FROM eventy_snapshots WHERE stream_type = ? AND stream_id = ? "
						+ "AND snapshot_type = 'Account' AND schema_version = ?",
				Long.class, stream.type(), stream.id(), schemaVersion);
		return versions.isEmpty() ? 0 : versions.get(0);
	}

	private String snapshotState(StreamId stream, String schemaVersion) {
		return this.jdbc
			.queryForObject("SELECT state::text FROM eventy_snapshots WHERE stream_id = ? " + "AND schema_version = ?",
					String.class, stream.id(), schemaVersion)
			.replace(" ", "");
	}

}
