package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.handler.EventHandler;
import io.eventy.handler.StartPosition;
import io.eventy.handler.SubscriptionCaughtUpEvent;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordType;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PostgresHandlerDeliveryTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private final PGSimpleDataSource dataSource = PostgresHandlerFixture.database();

	@Test
	void deliversRecordsInOrderPerStreamWithStoreMetadata() {
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("projection", Projection.class)
			.start()) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			try (EventyContextHolder.Scope scope = EventyContextHolder.open(EventyContext.of("trace-1", "rq-1"))) {
				for (int i = 1; i <= 3; i++) {
					store.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("1", i));
					store.append(StreamId.of("order", "2"), ExpectedVersion.any(), new OrderPlaced("2", i));
				}
			}
			Projection projection = context.getBean(Projection.class);
			await().atMost(DEADLINE).until(() -> projection.records.size() == 6);
			assertThat(projection.records).filteredOn((record) -> record.stream().id().equals("1"))
				.extracting(StoredRecord::streamVersion)
				.containsExactly(1L, 2L, 3L);
			assertThat(projection.records).filteredOn((record) -> record.stream().id().equals("2"))
				.extracting((record) -> record.payload(OrderPlaced.class).amountCents())
				.containsExactly(1L, 2L, 3L);
			assertThat(projection.records).extracting(StoredRecord::position).isSorted().doesNotHaveDuplicates();
			StoredRecord first = projection.records.get(0);
			assertThat(first.stream()).isEqualTo(StreamId.of("order", "1"));
			assertThat(first.requestId()).isEqualTo("rq-1");
			assertThat(first.record().correlationId()).isEqualTo("trace-1");
			assertThat(first.record().partitionKey()).isEqualTo("order-1");
		}
	}

	@Test
	void kafkaTopicsOfAHandlerAreIgnoredOnPostgres() {
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("topics", WithTopics.class)
			.start()) {
			context.getBean(PostgresEventStore.class)
				.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("1", 1));
			WithTopics handler = context.getBean(WithTopics.class);
			await().atMost(DEADLINE).until(() -> handler.records.size() == 1);
			assertThat(handler.records.get(0).payload(OrderPlaced.class)).isEqualTo(new OrderPlaced("1", 1));
		}
	}

	@Test
	void deliversPromptlyThroughNotifyWhenThePollIntervalIsAMinute() {
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.options(PostgresHandlerFixture.fastOptions().withPollInterval(Duration.ofMinutes(1)))
			.bean("projection", Projection.class)
			.bean("caughtUp", CaughtUp.class)
			.start()) {
			CaughtUp caughtUp = context.getBean(CaughtUp.class);
			await().atMost(DEADLINE).until(() -> caughtUp.subscriptions.contains("projection.on"));
			Projection projection = context.getBean(Projection.class);
			for (int i = 1; i <= 3; i++) {
				context.getBean(PostgresEventStore.class).publish(new OrderPlaced("n", i));
				int expected = i;
				await().atMost(Duration.ofSeconds(5)).until(() -> projection.records.size() == expected);
			}
			// in a Spring transaction, the notification follows its commit
			new TransactionTemplate(context.getBean(PlatformTransactionManager.class)).executeWithoutResult(
					(status) -> context.getBean(PostgresEventStore.class).publish(new OrderPlaced("n", 4)));
			await().atMost(Duration.ofSeconds(5)).until(() -> projection.records.size() == 4);
		}
	}

	@Test
	void neverSkipsARecordCommittedAfterALaterOne() throws Exception {
		PostgresEventStore store = PostgresHandlerFixture.store(this.dataSource);
		TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
		CountDownLatch earlyWritten = new CountDownLatch(1);
		CountDownLatch commitEarly = new CountDownLatch(1);
		AtomicReference<StoredRecord> early = new AtomicReference<>();
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("projection", Projection.class)
			.bean("caughtUp", CaughtUp.class)
			.start()) {
			await().atMost(DEADLINE).until(() -> context.getBean(CaughtUp.class).subscriptions.size() == 1);
			// the early record gets the lower position but its transaction commits last
			Future<?> earlyTransaction = executor.submit(() -> transactions.executeWithoutResult((status) -> {
				early.set(store.publish(new OrderPlaced("early", 1)));
				earlyWritten.countDown();
				try {
					assertThat(commitEarly.await(30, TimeUnit.SECONDS)).isTrue();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
			}));
			assertThat(earlyWritten.await(10, TimeUnit.SECONDS)).isTrue();
			StoredRecord second = transactions.execute((status) -> store.publish(new OrderPlaced("late", 2)));
			Projection projection = context.getBean(Projection.class);
			await().during(Duration.ofMillis(600)).atMost(DEADLINE).until(() -> projection.records.isEmpty());
			commitEarly.countDown();
			earlyTransaction.get(10, TimeUnit.SECONDS);
			StoredRecord first = early.get();
			assertThat(first.position()).isLessThan(second.position());
			await().atMost(DEADLINE).until(() -> projection.records.size() == 2);
			assertThat(projection.records).extracting(StoredRecord::position)
				.containsExactly(first.position(), second.position());
		}
		finally {
			commitEarly.countDown();
			executor.shutdown();
		}
	}

	@Test
	void newSubscriptionStartingAtTheLatestRecordSeesOnlyNewRecords() {
		PostgresEventStore store = PostgresHandlerFixture.store(this.dataSource);
		store.publish(new OrderPlaced("old", 1));
		store.publish(new OrderPlaced("old", 2));
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.options(PostgresHandlerFixture.fastOptions().withStartPosition(StartPosition.LATEST))
			.bean("projection", Projection.class)
			.bean("caughtUp", CaughtUp.class)
			.start()) {
			await().atMost(DEADLINE).until(() -> context.getBean(CaughtUp.class).subscriptions.size() == 1);
			context.getBean(PostgresEventStore.class).publish(new OrderPlaced("new", 3));
			Projection projection = context.getBean(Projection.class);
			await().atMost(DEADLINE).until(() -> projection.records.size() == 1);
			assertThat(projection.records.get(0).payload(OrderPlaced.class).orderId()).isEqualTo("new");
		}
	}

	@Test
	void latestRecordIsFoundByComparingTransactionIdsAsNumbers() throws Exception {
		PostgresEventStore store = PostgresHandlerFixture.store(this.dataSource);
		new TransactionTemplate(new DataSourceTransactionManager(this.dataSource)).executeWithoutResult((status) -> {
			store.publish(new OrderPlaced("nine", 1));
			store.publish(new OrderPlaced("ten", 2));
			// ids below every real one, on both sides of a power of ten: only SQL can set
			// them
			new JdbcTemplate(this.dataSource)
				.update("UPDATE eventy_records SET transaction_id = CASE position WHEN 1 THEN '9'::xid8 "
						+ "ELSE '10'::xid8 END");
		});
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.options(PostgresHandlerFixture.fastOptions().withStartPosition(StartPosition.LATEST))
			.bean("projection", Projection.class)
			.bean("caughtUp", CaughtUp.class)
			.start()) {
			await().atMost(DEADLINE).until(() -> context.getBean(CaughtUp.class).subscriptions.size() == 1);
			assertThat(checkpointPosition("projection.on")).isEqualTo(2);
			assertThat(context.getBean(Projection.class).records).isEmpty();
		}
	}

	@Test
	void publishesCaughtUpOnceWhenTheSubscriptionFirstReachesTheHead() {
		PostgresEventStore store = PostgresHandlerFixture.store(this.dataSource);
		IntStream.rangeClosed(1, 250).forEach((i) -> store.publish(new OrderPlaced("o", i)));
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("projection", Projection.class)
			.bean("caughtUp", CaughtUp.class)
			.start()) {
			CaughtUp caughtUp = context.getBean(CaughtUp.class);
			await().atMost(DEADLINE).until(() -> caughtUp.subscriptions.size() == 1);
			assertThat(caughtUp.subscriptions).containsExactly("projection.on");
			assertThat(caughtUp.handledWhenCaughtUp).containsExactly(250);
			context.getBean(PostgresEventStore.class).publish(new OrderPlaced("o", 251));
			await().atMost(DEADLINE).until(() -> context.getBean(Projection.class).records.size() == 251);
			assertThat(caughtUp.subscriptions).hasSize(1);
		}
	}

	@Test
	void caughtUpIsPublishedOnlyOnceTheCheckpointAtTheHeadIsCommitted() {
		PostgresEventStore store = PostgresHandlerFixture.store(this.dataSource);
		StoredRecord last = null;
		for (int i = 1; i <= 150; i++) {
			last = store.publish(new OrderPlaced("o", i));
		}
		long head = last.position();
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("projection", Projection.class)
			.bean("committedCheckpoint", CommittedCheckpoint.class,
					() -> new CommittedCheckpoint(new JdbcTemplate(this.dataSource)))
			.start()) {
			CommittedCheckpoint committed = context.getBean(CommittedCheckpoint.class);
			await().atMost(DEADLINE).until(() -> !committed.positions.isEmpty());
			assertThat(committed.positions).containsExactly(head);
		}
	}

	@Test
	void handlerSelectingByNamePatternReceivesEveryMatchingRecordAndNoOther() {
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("contracts", Contracts.class)
			.start()) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			store.publish(new ContractSuspended("c1"));
			store.publish(new OrderPlaced("o", 1));
			store.publish(new ContractActivated("c1"));
			Contracts contracts = context.getBean(Contracts.class);
			await().atMost(DEADLINE).until(() -> contracts.names.size() == 2);
			assertThat(contracts.names).containsExactly("ContractSuspended", "ContractActivated");
		}
	}

	@Test
	void subscriptionToOneTypeMovesItsCheckpointPastRecordsOfOtherTypes() throws Exception {
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("projection", Projection.class)
			.start()) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			store.publish(new OrderPlaced("o", 1));
			StoredRecord last = null;
			for (int i = 0; i < 5; i++) {
				last = store.publish(new ContractActivated("c" + i));
			}
			long lastPosition = last.position();
			await().atMost(DEADLINE).until(() -> checkpointPosition("projection.on") == lastPosition);
			assertThat(context.getBean(Projection.class).records).hasSize(1);
		}
	}

	@Test
	void losesNothingWhenEveryConnectionToTheDatabaseIsKilled() throws Exception {
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.options(PostgresHandlerFixture.fastOptions().withPollInterval(Duration.ofMinutes(1)))
			.bean("projection", Projection.class)
			.start()) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			Projection projection = context.getBean(Projection.class);
			for (int i = 0; i < 10; i++) {
				store.publish(new OrderPlaced("before", i));
			}
			await().atMost(DEADLINE).until(() -> projection.records.size() == 10);
			assertThat(killConnections()).isGreaterThanOrEqualTo(1);
			List<UUID> written = new CopyOnWriteArrayList<>();
			for (int i = 0; i < 10; i++) {
				written.add(store.publish(new OrderPlaced("after", i)).record().uuid());
			}
			assertThat(killConnections()).isGreaterThanOrEqualTo(0);
			for (int i = 10; i < 20; i++) {
				written.add(store.publish(new OrderPlaced("after", i)).record().uuid());
			}
			await().atMost(DEADLINE)
				.until(() -> projection.records.stream()
					.map((record) -> record.record().uuid())
					.toList()
					.containsAll(written));
		}
	}

	private int killConnections() throws Exception {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM "
						+ "pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
			result.next();
			return result.getInt(1);
		}
	}

	private long checkpointPosition(String subscription) throws Exception {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(
						"SELECT checkpoint_position FROM eventy_subscriptions WHERE name = '" + subscription + "'")) {
			return result.next() ? result.getLong(1) : -1;
		}
	}

	@RecordType(namespace = "urn:shop")
	record OrderPlaced(String orderId, long amountCents) {
	}

	@RecordType(namespace = "urn:shop")
	record ContractSuspended(String contractId) {
	}

	@RecordType(namespace = "urn:shop")
	record ContractActivated(String contractId) {
	}

	static class Projection {

		final List<StoredRecord> records = new CopyOnWriteArrayList<>();

		@EventHandler
		void on(OrderPlaced event, StoredRecord record) {
			this.records.add(record);
		}

	}

	static class WithTopics {

		final List<StoredRecord> records = new CopyOnWriteArrayList<>();

		@EventHandler(topics = "shop-events")
		void on(OrderPlaced event, StoredRecord record) {
			this.records.add(record);
		}

	}

	static class Contracts {

		final List<String> names = new CopyOnWriteArrayList<>();

		@EventHandler(name = "urn:shop:Contract(Suspended|Activated)")
		void on(JsonNode data, EventyRecord record) {
			this.names.add(record.name());
		}

	}

	/**
	 * Reads, on its own connection, the checkpoint a subscription has committed when it
	 * announces catching up.
	 */
	static class CommittedCheckpoint implements ApplicationListener<SubscriptionCaughtUpEvent> {

		final List<Long> positions = new CopyOnWriteArrayList<>();

		private final JdbcTemplate jdbc;

		CommittedCheckpoint(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Override
		public void onApplicationEvent(SubscriptionCaughtUpEvent event) {
			this.positions
				.add(this.jdbc.queryForObject("SELECT checkpoint_position FROM eventy_subscriptions WHERE name = ?",
						Long.class, event.subscription()));
		}

	}

	static class CaughtUp implements ApplicationListener<SubscriptionCaughtUpEvent> {

		final List<String> subscriptions = new CopyOnWriteArrayList<>();

		final List<Integer> handledWhenCaughtUp = new CopyOnWriteArrayList<>();

		private final Map<String, Projection> projections;

		CaughtUp(org.springframework.context.ApplicationContext context) {
			this.projections = context.getBeansOfType(Projection.class);
		}

		@Override
		public void onApplicationEvent(SubscriptionCaughtUpEvent event) {
			this.handledWhenCaughtUp.add(this.projections.values().stream().mapToInt((p) -> p.records.size()).sum());
			this.subscriptions.add(event.subscription());
		}

	}

}
