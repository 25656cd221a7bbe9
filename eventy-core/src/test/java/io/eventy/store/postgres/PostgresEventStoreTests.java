package io.eventy.store.postgres;

import java.io.StringWriter;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.eventy.record.EventyRecord;
import io.eventy.record.InvalidRecordException;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordKind;
import io.eventy.store.AppendResult;
import io.eventy.store.ConcurrencyException;
import io.eventy.store.EventStore;
import io.eventy.store.EventStoreContractTests;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoreTestRecords;
import io.eventy.store.StoreTestRecords.Note;
import io.eventy.store.StoreTestRecords.OrderPlaced;
import io.eventy.store.StoreTestRecords.OrderShipped;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class PostgresEventStoreTests extends EventStoreContractTests {

	private final List<HikariDataSource> pools = new ArrayList<>();

	private DataSource dataSource;

	private DataSource unpooled;

	private JdbcTemplate jdbc;

	private TransactionTemplate transactions;

	@Override
	protected EventStore createStore(RecordFactory recordFactory) {
		HikariDataSource pool = newPool();
		this.dataSource = pool;
		this.unpooled = pool.getDataSource();
		this.jdbc = new JdbcTemplate(this.dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
		PostgresStoreSettings settings = PostgresStoreSettings.defaults();
		new PostgresSchemaInitializer(this.dataSource, settings).initialize();
		this.jdbc.execute("CREATE TABLE orders (id text PRIMARY KEY)");
		return new PostgresEventStore(this.dataSource, settings, recordFactory);
	}

	@AfterAll
	void closePools() {
		this.pools.forEach(HikariDataSource::close);
	}

	private HikariDataSource newPool() {
		HikariDataSource pool = new HikariDataSource();
		pool.setDataSource(PostgresTestDatabase.newDatabase());
		pool.setMaximumPoolSize(10);
		this.pools.add(pool);
		return pool;
	}

	@Test
	void commitsRecordsTogetherWithTheCallersTransaction() {
		StreamId stream = newStream("order");
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.update("INSERT INTO orders (id) VALUES (?)", stream.id());
			store().append(stream, ExpectedVersion.noStream(), new OrderPlaced(stream.id(), 100));
			store().append(stream, ExpectedVersion.exactly(1), new OrderShipped(stream.id()));
			store().publish(new Note("in the same transaction"));
			assertThat(store().readStream(stream)).hasSize(2);
			assertThat(countOutside("SELECT count(*) FROM eventy_records WHERE stream_id = ?", stream.id())).isZero();
		});
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM orders WHERE id = ?", Long.class, stream.id()))
			.isEqualTo(1);
		assertThat(store().readStream(stream)).extracting(StoredRecord::streamVersion).containsExactly(1L, 2L);
	}

	@Test
	void leavesNothingWhenTheCallersTransactionRollsBack() {
		StreamId stream = newStream("order");
		long before = lastPosition();
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.update("INSERT INTO orders (id) VALUES (?)", stream.id());
			store().append(stream, ExpectedVersion.noStream(), new OrderPlaced(stream.id(), 100));
			store().publish(new Note("rolled back"));
			status.setRollbackOnly();
		});
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM orders WHERE id = ?", Long.class, stream.id()))
			.isZero();
		assertThat(store().readStream(stream)).isEmpty();
		assertThat(store().readAll(before + 1, 10)).isEmpty();
		assertThat(store().append(stream, ExpectedVersion.noStream(), new OrderPlaced(stream.id(), 1)).streamVersion())
			.isEqualTo(1);
	}

	@Test
	void aConflictWithAConcurrentTransactionWaitsForItAndLeavesTheCallersTransactionUsable() throws Exception {
		StreamId stream = newStream("order");
		store().append(stream, ExpectedVersion.noStream(), new OrderPlaced(stream.id(), 1));
		CountDownLatch firstAppended = new CountDownLatch(1);
		CountDownLatch releaseFirst = new CountDownLatch(1);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<?> first = executor.submit(() -> this.transactions.executeWithoutResult((status) -> {
				store().append(stream, ExpectedVersion.exactly(1), new OrderShipped(stream.id()));
				firstAppended.countDown();
				awaitRelease(releaseFirst);
			}));
			assertThat(firstAppended.await(30, TimeUnit.SECONDS)).isTrue();
			List<Long> versions = this.transactions.execute((status) -> {
				Thread releaser = new Thread(() -> {
					// once this transaction waits for the first one's lock, let it commit
					await().atMost(Duration.ofSeconds(30)).until(() -> backendsWaitingForALock() > 0);
					releaseFirst.countDown();
				});
				releaser.start();
				assertThatExceptionOfType(ConcurrencyException.class)
					.isThrownBy(() -> store().append(stream, ExpectedVersion.exactly(1), new Note("second")))
					.satisfies((conflict) -> assertThat(conflict.actual()).isEqualTo(2));
				// the same transaction goes on: read again, decide again
				long actual = store().readStream(stream).size();
				this.jdbc.update("INSERT INTO orders (id) VALUES (?)", stream.id());
				store().append(stream, ExpectedVersion.exactly(actual), new Note("after reading again"));
				return store().readStream(stream).stream().map(StoredRecord::streamVersion).toList();
			});
			first.get(30, TimeUnit.SECONDS);
			assertThat(versions).containsExactly(1L, 2L, 3L);
		}
		finally {
			releaseFirst.countDown();
			executor.shutdownNow();
		}
		assertThat(store().readStream(stream)).extracting((record) -> record.record().name())
			.containsExactly("OrderPlaced", "OrderShipped", "Note");
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM orders WHERE id = ?", Long.class, stream.id()))
			.isEqualTo(1);
	}

	@Test
	void anAppendWithAnyVersionWaitsForAConcurrentTransactionAndAppendsAfterIt() throws Exception {
		StreamId stream = newStream("order");
		store().append(stream, ExpectedVersion.noStream(), new OrderPlaced(stream.id(), 1));
		CountDownLatch firstAppended = new CountDownLatch(1);
		CountDownLatch releaseFirst = new CountDownLatch(1);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<?> first = executor.submit(() -> this.transactions.executeWithoutResult((status) -> {
				store().append(stream, ExpectedVersion.any(), new OrderShipped(stream.id()));
				firstAppended.countDown();
				awaitRelease(releaseFirst);
			}));
			assertThat(firstAppended.await(30, TimeUnit.SECONDS)).isTrue();
			Long version = this.transactions.execute((status) -> {
				Thread releaser = new Thread(() -> {
					await().atMost(Duration.ofSeconds(30)).until(() -> backendsWaitingForALock() > 0);
					releaseFirst.countDown();
				});
				releaser.start();
				return store().append(stream, ExpectedVersion.any(), new Note("second")).streamVersion();
			});
			first.get(30, TimeUnit.SECONDS);
			assertThat(version).isEqualTo(3);
		}
		finally {
			releaseFirst.countDown();
			executor.shutdownNow();
		}
		assertThat(store().readStream(stream)).extracting(StoredRecord::streamVersion).containsExactly(1L, 2L, 3L);
	}

	@Test
	void underRepeatableReadARaceIsTheSerializationFailureToRetry() {
		StreamId stream = newStream("order");
		store().append(stream, ExpectedVersion.noStream(), new OrderPlaced(stream.id(), 1));
		TransactionTemplate repeatableRead = new TransactionTemplate(this.transactions.getTransactionManager());
		repeatableRead.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
		assertThatExceptionOfType(ConcurrencyFailureException.class)
			.isThrownBy(() -> repeatableRead.executeWithoutResult((status) -> {
				// the snapshot is taken here, at version 1
				assertThat(store().readStream(stream)).hasSize(1);
				// another writer, on a thread and connection of its own, commits version
				// 2
				CompletableFuture
					.runAsync(() -> store().append(stream, ExpectedVersion.exactly(1), new OrderShipped(stream.id())))
					.orTimeout(30, TimeUnit.SECONDS)
					.join();
				store().append(stream, ExpectedVersion.exactly(1), new Note("raced"));
			}));
		assertThat(store().readStream(stream)).extracting((record) -> record.record().name())
			.containsExactly("OrderPlaced", "OrderShipped");
	}

	private long backendsWaitingForALock() {
		return countOutside("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
				+ "AND wait_event_type = 'Lock'");
	}

	private static void awaitRelease(CountDownLatch latch) {
		try {
			if (!latch.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Not released within 30 s");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void notifiesOnceAfterTheCommitOfATransaction() throws Exception {
		String channel = PostgresStoreSettings.defaults().notificationChannel();
		assertThat(channel).isEqualTo("eventy_records");
		try (Connection listener = this.unpooled.getConnection(); Statement statement = listener.createStatement()) {
			statement.execute("LISTEN \"" + channel + "\"");
			StreamId stream = newStream("order");
			long before = postgresStore().notificationRequests();
			this.transactions.executeWithoutResult((status) -> {
				store().append(stream, ExpectedVersion.noStream(), new OrderPlaced("1", 1));
				store().append(stream, ExpectedVersion.exactly(1), new OrderShipped("1"), new OrderShipped("1"));
				store().publish(new Note("third"));
				assertThat(postgresStore().notificationRequests()).isEqualTo(before);
			});
			// one request for the transaction; RecordNotifierTests shows that requests
			// close
			// together make one notification
			assertThat(postgresStore().notificationRequests()).isEqualTo(before + 1);
			awaitNotification(listener.unwrap(PGConnection.class), new ArrayList<>(), channel);
		}
	}

	@Test
	void notifiesEveryAppendOutsideATransaction() throws Exception {
		try (Connection listener = this.unpooled.getConnection(); Statement statement = listener.createStatement()) {
			statement.execute("LISTEN eventy_records");
			long before = postgresStore().notificationRequests();
			store().append(newStream("order"), ExpectedVersion.noStream(), new OrderPlaced("1", 1));
			store().append(newStream("order"), ExpectedVersion.noStream(), new OrderPlaced("2", 2),
					new OrderShipped("2"));
			store().publish(new Note("published"));
			assertThat(postgresStore().notificationRequests()).isEqualTo(before + 3);
			awaitNotification(listener.unwrap(PGConnection.class), new ArrayList<>(), "eventy_records");
		}
	}

	@Test
	void asksForNoNotificationWhenNothingIsCommitted() {
		StreamId stream = newStream("order");
		store().append(stream, ExpectedVersion.noStream(), new OrderPlaced("1", 1));
		long before = postgresStore().notificationRequests();
		assertThatExceptionOfType(ConcurrencyException.class)
			.isThrownBy(() -> store().append(stream, ExpectedVersion.noStream(), new OrderShipped("1")));
		assertThatExceptionOfType(ConcurrencyException.class).isThrownBy(
				() -> store().append(stream, ExpectedVersion.noStream(), new OrderShipped("1"), new OrderShipped("1")));
		this.transactions.executeWithoutResult((status) -> {
			store().append(stream, ExpectedVersion.exactly(1), new OrderShipped("1"));
			status.setRollbackOnly();
		});
		assertThat(postgresStore().notificationRequests()).isEqualTo(before);
	}

	@Test
	void notifiesAfterTheCommitOfAnInnerTransactionOfItsOwn() {
		TransactionTemplate inner = new TransactionTemplate(this.transactions.getTransactionManager());
		inner.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		long before = postgresStore().notificationRequests();
		this.transactions.executeWithoutResult((outer) -> {
			store().append(newStream("order"), ExpectedVersion.noStream(), new OrderPlaced("1", 1));
			inner.executeWithoutResult((status) -> store().append(newStream("order"), ExpectedVersion.noStream(),
					new OrderPlaced("2", 2)));
			assertThat(postgresStore().notificationRequests()).isEqualTo(before + 1);
		});
		assertThat(postgresStore().notificationRequests()).isEqualTo(before + 2);
	}

	@Test
	void commitsAppendsOutsideATransactionOnAPoolThatDoesNotAutoCommit() {
		HikariDataSource pool = poolThatDoesNotAutoCommit();
		try (PostgresEventStore store = new PostgresEventStore(pool, PostgresStoreSettings.defaults(),
				StoreTestRecords.recordFactory())) {
			StreamId single = newStream("order");
			StreamId several = newStream("order");
			store.append(single, ExpectedVersion.noStream(), new OrderPlaced("1", 1));
			store.append(several, ExpectedVersion.noStream(), new OrderPlaced("2", 2), new OrderShipped("2"));
			store.publish(new Note("published"));
			assertThat(store.notificationRequests()).isEqualTo(3);
			JdbcTemplate other = new JdbcTemplate(pool.getDataSource());
			assertThat(other.queryForObject("SELECT count(*) FROM eventy_records", Long.class)).isEqualTo(4);
		}
	}

	@Test
	void commitsAppendsInATransactionScopeWithoutATransactionOnAPoolThatDoesNotAutoCommit() {
		HikariDataSource pool = poolThatDoesNotAutoCommit();
		TransactionTemplate supports = new TransactionTemplate(new DataSourceTransactionManager(pool));
		supports.setPropagationBehavior(TransactionDefinition.PROPAGATION_SUPPORTS);
		try (PostgresEventStore store = new PostgresEventStore(pool, PostgresStoreSettings.defaults(),
				StoreTestRecords.recordFactory())) {
			supports.executeWithoutResult((status) -> {
				store.append(newStream("order"), ExpectedVersion.noStream(), new OrderPlaced("1", 1));
				store.append(newStream("order"), ExpectedVersion.noStream(), new OrderPlaced("2", 2),
						new OrderShipped("2"));
			});
			assertThat(store.notificationRequests()).isEqualTo(2);
			JdbcTemplate other = new JdbcTemplate(pool.getDataSource());
			assertThat(other.queryForObject("SELECT count(*) FROM eventy_records", Long.class)).isEqualTo(3);
		}
	}

	/**
	 * A pool whose connections do not auto-commit (as with
	 * {@code spring.datasource.hikari.auto-commit=false}), on a database with the store's
	 * tables.
	 */
	private HikariDataSource poolThatDoesNotAutoCommit() {
		HikariDataSource pool = newPool();
		pool.setAutoCommit(false);
		new PostgresSchemaInitializer(pool, PostgresStoreSettings.defaults()).initialize();
		return pool;
	}

	private PostgresEventStore postgresStore() {
		return (PostgresEventStore) store();
	}

	private static void awaitNotification(PGConnection listener, List<String> received, String channel) {
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			PGNotification[] notifications = listener.getNotifications(100);
			if (notifications != null) {
				for (PGNotification notification : notifications) {
					received.add(notification.getName());
				}
			}
			return received.contains(channel);
		});
	}

	@Test
	void keepsPayloadsQueryableWithPlainSql() {
		StreamId stream = newStream("order");
		String orderId = "order-" + UUID.randomUUID();
		store().append(stream, ExpectedVersion.any(), new OrderPlaced(orderId, 4200));
		Map<String, Object> row = this.jdbc.queryForMap(
				"SELECT stream_type, stream_id, stream_version, namespace, name, kind, (data->>'amountCents')::int AS amount, "
						+ "jsonb_typeof(data) AS data_type, transaction_id::text AS tx FROM eventy_records WHERE data->>'orderId' = ?",
				orderId);
		assertThat(row).containsEntry("stream_type", "order")
			.containsEntry("stream_id", stream.id())
			.containsEntry("stream_version", 1L)
			.containsEntry("namespace", "urn:shop")
			.containsEntry("name", "OrderPlaced")
			.containsEntry("kind", "EVENT")
			.containsEntry("amount", 4200)
			.containsEntry("data_type", "object");
		assertThat((String) row.get("tx")).isNotBlank();
	}

	@Test
	void writesTheRecordsOfOneAppendInOneTransaction() {
		StreamId stream = newStream("order");
		store().append(stream, ExpectedVersion.any(), new OrderPlaced("1", 1), new OrderShipped("1"),
				new OrderShipped("1"));
		store().append(stream, ExpectedVersion.any(), new OrderShipped("1"));
		List<String> transactions = this.jdbc.queryForList(
				"SELECT transaction_id::text FROM eventy_records WHERE stream_id = ? ORDER BY position", String.class,
				stream.id());
		assertThat(transactions).hasSize(4);
		assertThat(transactions.subList(0, 3)).containsOnly(transactions.get(0));
		assertThat(transactions.get(3)).isNotEqualTo(transactions.get(0));
	}

	@Test
	void appendsManyRecordsAtOnceInVersionAndPositionOrder() {
		StreamId stream = newStream("order");
		int count = 2 * RecordSql.MAX_ROWS_PER_STATEMENT + 500;
		List<OrderPlaced> payloads = IntStream.range(0, count).mapToObj((i) -> new OrderPlaced("o" + i, i)).toList();
		store().append(stream, ExpectedVersion.noStream(), new OrderShipped("first"));
		AppendResult result = store().append(stream, ExpectedVersion.exactly(1), payloads);
		assertThat(result.streamVersion()).isEqualTo(count + 1);
		List<StoredRecord> read = store().readStream(stream, 2);
		assertThat(read).isEqualTo(result.records());
		assertThat(read).extracting(StoredRecord::streamVersion)
			.containsExactlyElementsOf(LongStream.rangeClosed(2, count + 1).boxed().toList());
		assertThat(read).extracting(StoredRecord::position).isSorted().doesNotHaveDuplicates();
		assertThat(read.get(count - 1).payload(OrderPlaced.class)).isEqualTo(payloads.get(count - 1));
		assertThatExceptionOfType(ConcurrencyException.class)
			.isThrownBy(() -> store().append(stream, ExpectedVersion.exactly(1), payloads))
			.satisfies((ex) -> assertThat(ex.actual()).isEqualTo(count + 1));
		assertThat(store().readStream(stream)).hasSize(count + 1);
	}

	@Test
	void storesNothingOfALargeAppendThatFailsPartWay() {
		StreamId stream = newStream("order");
		EventyRecord duplicate = StoreTestRecords.recordFactory().create(new OrderShipped("dup"), null);
		store().publish(duplicate);
		long before = lastPosition();
		List<Object> payloads = new ArrayList<>();
		IntStream.range(0, RecordSql.MAX_ROWS_PER_STATEMENT + 10)
			.forEach((i) -> payloads.add(new OrderPlaced("o" + i, i)));
		payloads.add(duplicate);
		assertThatExceptionOfType(InvalidRecordException.class)
			.isThrownBy(() -> store().append(stream, ExpectedVersion.noStream(), payloads))
			.withMessageContaining("uuid");
		assertThat(store().readStream(stream)).isEmpty();
		assertThat(store().readAll(before + 1, 10)).isEmpty();
		assertThat(store().append(stream, ExpectedVersion.noStream(), new OrderPlaced("o", 1)).streamVersion())
			.isEqualTo(1);
	}

	@Test
	void rejectsARecordWhoseUuidIsAlreadyStored() {
		EventyRecord record = StoreTestRecords.recordFactory().create(new OrderShipped("once"), null);
		StoredRecord first = store().publish(record);
		assertThatExceptionOfType(InvalidRecordException.class).isThrownBy(() -> store().publish(record))
			.withMessageContaining("uuid")
			.withMessageContaining(record.uuid().toString());
		StreamId stream = newStream("order");
		assertThatExceptionOfType(InvalidRecordException.class)
			.isThrownBy(() -> store().append(stream, ExpectedVersion.noStream(), record))
			.withMessageContaining("already stored");
		assertThat(store().readStream(stream)).isEmpty();
		assertThat(store().readAll(first.position() + 1, 10)).isEmpty();
	}

	@Test
	void takesBackTheRecordsOfAnAppendWhoseLaterVersionsWereFree() {
		// version 1 is taken, versions 2 and 3 are free: the statement inserts two of the
		// three records, and the append must not keep them
		StreamId stream = newStream("order");
		store().append(stream, ExpectedVersion.any(), new OrderPlaced("1", 1));
		assertThatExceptionOfType(ConcurrencyException.class)
			.isThrownBy(() -> store().append(stream, ExpectedVersion.noStream(), new OrderPlaced("2", 2),
					new OrderShipped("2"), new OrderShipped("2")))
			.satisfies((ex) -> assertThat(ex.actual()).isEqualTo(1));
		assertThat(store().readStream(stream)).hasSize(1);
		this.transactions.executeWithoutResult((status) -> {
			assertThatExceptionOfType(ConcurrencyException.class)
				.isThrownBy(() -> store().append(stream, ExpectedVersion.noStream(), new OrderPlaced("3", 3),
						new OrderShipped("3")))
				.satisfies((ex) -> assertThat(ex.actual()).isEqualTo(1));
			store().append(stream, ExpectedVersion.exactly(1), new OrderShipped("1"));
		});
		assertThat(store().readStream(stream)).extracting(StoredRecord::streamVersion).containsExactly(1L, 2L);
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM eventy_records WHERE stream_id = ?", Long.class,
				stream.id()))
			.isEqualTo(2);
	}

	@Test
	void takesBackEveryStatementOfAnAppendLargerThanOneStatementThatLosesARace() {
		StreamId stream = newStream("order");
		store().append(stream, ExpectedVersion.any(), new OrderPlaced("1", 1));
		List<Object> payloads = new ArrayList<>();
		for (int i = 0; i < RecordSql.MAX_ROWS_PER_STATEMENT + 10; i++) {
			payloads.add(new OrderShipped("1"));
		}
		assertThatExceptionOfType(ConcurrencyException.class)
			.isThrownBy(() -> store().append(stream, ExpectedVersion.noStream(), payloads));
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM eventy_records WHERE stream_id = ?", Long.class,
				stream.id()))
			.isEqualTo(1);
		assertThat(store().append(stream, ExpectedVersion.exactly(1), payloads).streamVersion())
			.isEqualTo(RecordSql.MAX_ROWS_PER_STATEMENT + 11);
	}

	@Test
	void storesAResponseAppendedTogetherWithEventsAndAPublishedOne() {
		StreamId stream = newStream("payment");
		EventyRecord response = EventyRecord.builder(RecordKind.RESPONSE)
			.namespace("urn:shop")
			.name("PaymentRefused")
			.source("urn:payment-service")
			.destination("urn:order-service")
			.requestUuid(UUID.randomUUID())
			.ok(false)
			.errorCode(409)
			.errorMessage("declined")
			.build();
		store().append(stream, ExpectedVersion.noStream(), new OrderPlaced("1", 1), response, new OrderShipped("1"));
		List<StoredRecord> read = store().readStream(stream);
		assertThat(read).extracting(StoredRecord::record)
			.element(1)
			.isEqualTo(response.toBuilder().partitionKey(stream.partitionKey()).build());
		assertThat(read.get(0).record().destination()).isNull();
		EventyRecord published = response.toBuilder().uuid(UUID.randomUUID()).build();
		StoredRecord stored = store().publish(published);
		assertThat(store().readAll(stored.position(), 1)).singleElement()
			.satisfies((one) -> assertThat(one.record()).isEqualTo(published));
	}

	@Test
	void rejectsAPayloadWithACharacterPostgresqlCannotStore() {
		StreamId stream = newStream("note");
		assertThatExceptionOfType(InvalidRecordException.class)
			.isThrownBy(() -> store().append(stream, ExpectedVersion.any(), new Note("nul \u0000 inside")))
			.withMessageContaining("U+0000");
		assertThat(store().readStream(stream)).isEmpty();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> store().append(StreamId.of("note", "a\u0000b"), ExpectedVersion.any(), new Note("x")))
			.withMessageContaining("U+0000");
	}

	@Test
	void findsTheEscapeOfU0000OnlyWhereItIsOne() {
		assertThat(RecordRows.containsNulEscape("{\"a\":\"x\\u0000\"}")).isTrue();
		assertThat(RecordRows.containsNulEscape("{\"a\":\"x\\\\u0000\"}")).isFalse();
		assertThat(RecordRows.containsNulEscape("{\"a\":\"x\\\\\\u0000\"}")).isTrue();
		assertThat(RecordRows.containsNulEscape("{\"a\":\"\\u00001\"}")).isTrue();
		assertThat(RecordRows.containsNulEscape("{\"a\":\"u0000\"}")).isFalse();
	}

	@Test
	void keepsItsTablesInTheConfiguredSchemaWithTheConfiguredPrefix() {
		DataSource other = newPool();
		PostgresStoreSettings settings = new PostgresStoreSettings("shop_events", "ev_");
		new PostgresSchemaInitializer(other, settings).initialize();
		EventStore custom = new PostgresEventStore(other, settings, StoreTestRecords.recordFactory());
		StreamId stream = newStream("order");
		custom.append(stream, ExpectedVersion.noStream(), new OrderPlaced("1", 1));
		assertThat(custom.readStream(stream)).hasSize(1);
		JdbcTemplate jdbc = new JdbcTemplate(other);
		assertThat(jdbc.queryForList("SELECT table_schema || '.' || table_name FROM information_schema.tables "
				+ "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1", String.class))
			.containsExactly("shop_events.ev_changelog", "shop_events.ev_changelog_lock", "shop_events.ev_dead_letters",
					"shop_events.ev_records", "shop_events.ev_snapshots", "shop_events.ev_subscription_controls",
					"shop_events.ev_subscription_instances", "shop_events.ev_subscriptions");
		assertThat(jdbc.queryForObject("SELECT count(*) FROM shop_events.ev_records", Long.class)).isEqualTo(1);
		assertThat(settings.notificationChannel()).isEqualTo("shop_events.ev_records");
	}

	@Test
	void refusesSchemaAndPrefixThatAreNotPlainIdentifiers() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PostgresStoreSettings("x; drop table", "eventy_"))
			.withMessageContaining("schema")
			.withMessageContaining("'x; drop table'");
		assertThatIllegalArgumentException().isThrownBy(() -> new PostgresStoreSettings("public", "e\"; --"))
			.withMessageContaining("table prefix");
		assertThatIllegalArgumentException().isThrownBy(() -> new PostgresStoreSettings("Public", "eventy_"))
			.withMessageContaining("lower-case");
		assertThatIllegalArgumentException().isThrownBy(() -> new PostgresStoreSettings("public", "x".repeat(41)))
			.withMessageContaining("at most 40");
	}

	@Test
	void keepsTheNotificationChannelWithinPostgresqlLimits() {
		PostgresStoreSettings longest = new PostgresStoreSettings("s".repeat(63), "p".repeat(40));
		String channel = longest.notificationChannel();
		assertThat(channel).hasSizeLessThanOrEqualTo(63).startsWith("sss");
		assertThat(new PostgresStoreSettings("s".repeat(63), "q".repeat(40)).notificationChannel())
			.isNotEqualTo(channel);
		assertThat(new PostgresStoreSettings("public", "").notificationChannel()).isEqualTo("records");
	}

	@Test
	void initializesTwiceWithoutChangingAnything() {
		DataSource other = newPool();
		PostgresSchemaInitializer initializer = new PostgresSchemaInitializer(other, PostgresStoreSettings.defaults());
		initializer.initialize();
		JdbcTemplate jdbc = new JdbcTemplate(other);
		List<Map<String, Object>> applied = jdbc
			.queryForList("SELECT id, md5sum, dateexecuted FROM eventy_changelog ORDER BY orderexecuted");
		assertThat(applied).hasSizeGreaterThanOrEqualTo(3);
		initializer.initialize();
		new PostgresSchemaInitializer(other, PostgresStoreSettings.defaults()).initialize();
		assertThat(jdbc.queryForList("SELECT id, md5sum, dateexecuted FROM eventy_changelog ORDER BY orderexecuted"))
			.isEqualTo(applied);
	}

	@Test
	void dropsTheStreamsTableOfADatabaseCreatedByAnEarlierSnapshot() {
		DataSource other = newPool();
		JdbcTemplate jdbc = new JdbcTemplate(other);
		jdbc.execute("CREATE TABLE eventy_streams (stream_type text NOT NULL, stream_id text NOT NULL, "
				+ "version bigint NOT NULL, PRIMARY KEY (stream_type, stream_id))");
		new PostgresSchemaInitializer(other, PostgresStoreSettings.defaults()).initialize();
		assertThat(jdbc.queryForObject("SELECT to_regclass('public.eventy_streams') IS NULL", Boolean.class)).isTrue();
	}

	@Test
	void usesItsOwnChangelogTablesAndNeverLiquibasesDefaultOnes() {
		List<String> tables = this.jdbc.queryForList(
				"SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
				String.class);
		assertThat(tables).contains("eventy_changelog", "eventy_changelog_lock", "eventy_records")
			.doesNotContain("databasechangelog", "databasechangeloglock");
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM information_schema.tables "
				+ "WHERE lower(table_name) IN ('databasechangelog', 'databasechangeloglock')", Long.class))
			.isZero();
		assertThat(this.jdbc.queryForList("SELECT id FROM eventy_changelog ORDER BY orderexecuted", String.class))
			.contains("001-records-table", "001-records-indexes");
	}

	@Test
	void failsClearlyWhenTheDatabaseRefusesTheSchema() {
		DataSource other = newPool();
		new JdbcTemplate(other).execute("CREATE TABLE taken (id int)");
		PostgresStoreSettings settings = new PostgresStoreSettings("public", "taken_");
		new JdbcTemplate(other).execute("CREATE TABLE taken_records (id int)");
		assertThatIllegalStateException().isThrownBy(() -> new PostgresSchemaInitializer(other, settings).initialize())
			.withMessageContaining("schema 'public'")
			.withMessageContaining("taken_records");
	}

	@Test
	void tellsAFailedConnectionFromARefusedSchema() {
		PGSimpleDataSource wrongPassword = PostgresTestDatabase.dataSource("postgres");
		wrongPassword.setUser("nobody-" + System.nanoTime());
		assertThatExceptionOfType(SchemaInitializationException.class)
			.isThrownBy(
					() -> new PostgresSchemaInitializer(wrongPassword, PostgresStoreSettings.defaults()).initialize())
			.withMessageStartingWith("Could not connect to the database to create Eventy's tables")
			.satisfies((ex) -> assertThat(ex.isConnectionFailed()).isTrue());
		DataSource other = newPool();
		new JdbcTemplate(other).execute("CREATE TABLE refused_records (id int)");
		assertThatExceptionOfType(SchemaInitializationException.class)
			.isThrownBy(() -> new PostgresSchemaInitializer(other, new PostgresStoreSettings("public", "refused_"))
				.initialize())
			.satisfies((ex) -> assertThat(ex.isConnectionFailed()).isFalse());
	}

	@Test
	void exportsTheSqlThatAppliedByHandLeavesTheInitializerNothingToDo() {
		StringWriter sql = new StringWriter();
		PostgresStoreSettings settings = new PostgresStoreSettings("exported", "eventy_");
		PostgresSchemaInitializer.exportSql(settings, sql);
		assertThat(sql.toString()).contains("CREATE SCHEMA IF NOT EXISTS exported;")
			.contains("CREATE TABLE exported.eventy_records (")
			.contains("xid8")
			.contains("jsonb")
			.contains("INSERT INTO exported.eventy_changelog");
		DataSource other = newPool();
		JdbcTemplate jdbc = new JdbcTemplate(other);
		jdbc.execute(sql.toString());
		List<Map<String, Object>> applied = jdbc
			.queryForList("SELECT id, md5sum FROM exported.eventy_changelog ORDER BY orderexecuted");
		assertThat(applied).hasSizeGreaterThanOrEqualTo(3);
		new PostgresSchemaInitializer(other, settings).initialize();
		assertThat(jdbc.queryForList("SELECT id, md5sum FROM exported.eventy_changelog ORDER BY orderexecuted"))
			.isEqualTo(applied);
		EventStore store = new PostgresEventStore(other, settings, StoreTestRecords.recordFactory());
		assertThat(
				store.append(newStream("order"), ExpectedVersion.noStream(), new OrderPlaced("1", 1)).streamVersion())
			.isEqualTo(1);
	}

	private long lastPosition() {
		Long last = this.jdbc.queryForObject("SELECT max(position) FROM eventy_records", Long.class);
		return (last != null) ? last : 0;
	}

	private long countOutside(String sql, Object... arguments) {
		// a connection of its own sees only what is committed
		try (Connection connection = this.dataSource.getConnection()) {
			Long count = new JdbcTemplate(
					new org.springframework.jdbc.datasource.SingleConnectionDataSource(connection, true))
				.queryForObject(sql, Long.class, arguments);
			return (count != null) ? count : 0;
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
