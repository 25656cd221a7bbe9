package io.eventy.handler;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.handler.PostgresHandlerFixture.TestStore;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordType;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

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
			TestStore store = context.getBean(TestStore.class);
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
				context.getBean(TestStore.class).publish(new OrderPlaced("n", i));
				int expected = i;
				await().atMost(Duration.ofSeconds(5)).until(() -> projection.records.size() == expected);
			}
		}
	}

	@Test
	void neverSkipsARecordCommittedAfterALaterOne() throws Exception {
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("projection", Projection.class)
			.bean("caughtUp", CaughtUp.class)
			.start();
				Connection early = this.dataSource.getConnection();
				Connection late = this.dataSource.getConnection()) {
			await().atMost(DEADLINE).until(() -> context.getBean(CaughtUp.class).subscriptions.size() == 1);
			early.setAutoCommit(false);
			late.setAutoCommit(false);
			StoredRecord first = TestStore.insert(early, record(new OrderPlaced("early", 1)), null, 0);
			StoredRecord second = TestStore.insert(late, record(new OrderPlaced("late", 2)), null, 0);
			TestStore.notify(late);
			late.commit();
			Projection projection = context.getBean(Projection.class);
			await().during(Duration.ofMillis(600)).atMost(DEADLINE).until(() -> projection.records.isEmpty());
			TestStore.notify(early);
			early.commit();
			await().atMost(DEADLINE).until(() -> projection.records.size() == 2);
			assertThat(projection.records).extracting(StoredRecord::position)
				.containsExactly(first.position(), second.position());
		}
	}

	@Test
	void newSubscriptionStartingAtTheLatestRecordSeesOnlyNewRecords() {
		TestStore store = new TestStore(this.dataSource, HandlerTestContexts.recordFactory());
		store.publish(new OrderPlaced("old", 1));
		store.publish(new OrderPlaced("old", 2));
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.options(PostgresHandlerFixture.fastOptions().withStartPosition(StartPosition.LATEST))
			.bean("projection", Projection.class)
			.bean("caughtUp", CaughtUp.class)
			.start()) {
			await().atMost(DEADLINE).until(() -> context.getBean(CaughtUp.class).subscriptions.size() == 1);
			context.getBean(TestStore.class).publish(new OrderPlaced("new", 3));
			Projection projection = context.getBean(Projection.class);
			await().atMost(DEADLINE).until(() -> projection.records.size() == 1);
			assertThat(projection.records.get(0).payload(OrderPlaced.class).orderId()).isEqualTo("new");
		}
	}

	@Test
	void latestRecordIsFoundByComparingTransactionIdsAsNumbers() throws Exception {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			TestStore.insert(connection, record(new OrderPlaced("nine", 1)), null, 0);
			TestStore.insert(connection, record(new OrderPlaced("ten", 2)), null, 0);
			try (Statement statement = connection.createStatement()) {
				// ids below every real one, on both sides of a power of ten
				statement.execute("UPDATE eventy_records SET transaction_id = CASE position WHEN 1 THEN '9'::xid8 "
						+ "ELSE '10'::xid8 END");
			}
			connection.commit();
		}
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
		TestStore store = new TestStore(this.dataSource, HandlerTestContexts.recordFactory());
		IntStream.rangeClosed(1, 250).forEach((i) -> store.publish(new OrderPlaced("o", i)));
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("projection", Projection.class)
			.bean("caughtUp", CaughtUp.class)
			.start()) {
			CaughtUp caughtUp = context.getBean(CaughtUp.class);
			await().atMost(DEADLINE).until(() -> caughtUp.subscriptions.size() == 1);
			assertThat(caughtUp.subscriptions).containsExactly("projection.on");
			assertThat(caughtUp.handledWhenCaughtUp).containsExactly(250);
			context.getBean(TestStore.class).publish(new OrderPlaced("o", 251));
			await().atMost(DEADLINE).until(() -> context.getBean(Projection.class).records.size() == 251);
			assertThat(caughtUp.subscriptions).hasSize(1);
		}
	}

	@Test
	void handlerSelectingByNamePatternReceivesEveryMatchingRecordAndNoOther() {
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("contracts", Contracts.class)
			.start()) {
			TestStore store = context.getBean(TestStore.class);
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
			TestStore store = context.getBean(TestStore.class);
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
			TestStore store = context.getBean(TestStore.class);
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

	private static EventyRecord record(Object payload) {
		return HandlerTestContexts.recordFactory().create(payload, null);
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

	static class Contracts {

		final List<String> names = new CopyOnWriteArrayList<>();

		@EventHandler(name = "urn:shop:Contract(Suspended|Activated)")
		void on(JsonNode data, EventyRecord record) {
			this.names.add(record.name());
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
