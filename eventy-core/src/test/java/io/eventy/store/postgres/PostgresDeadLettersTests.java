package io.eventy.store.postgres;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.eventy.handler.DeadLetter;
import io.eventy.handler.EnableEventHandlers;
import io.eventy.handler.EventHandler;
import io.eventy.handler.HandlerEndpointRegistry;
import io.eventy.handler.RetryPolicy;
import io.eventy.handler.StartPosition;
import io.eventy.handler.SubscriptionOptions;
import io.eventy.record.RecordFactory;
import io.eventy.store.StoreTestRecords;
import io.eventy.store.StoreTestRecords.Note;
import io.eventy.store.StoreTestRecords.OrderPlaced;
import io.eventy.store.StoredRecord;
import io.eventy.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link PostgresDeadLetters} on a real PostgreSQL.
 */
class PostgresDeadLettersTests {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private static final PostgresStoreSettings SETTINGS = PostgresStoreSettings.defaults();

	private static final ObjectMapper MAPPER = new ObjectMapper();

	private final PGSimpleDataSource database = newDatabase();

	private final JdbcTemplate jdbc = new JdbcTemplate(this.database);

	@Test
	void redriveOutsideATransactionIsCommittedOnAPoolThatDoesNotAutoCommit() {
		try (HikariDataSource pool = new HikariDataSource();
				PostgresEventStore store = new PostgresEventStore(this.database, SETTINGS,
						StoreTestRecords.recordFactory())) {
			pool.setDataSource(this.database);
			pool.setAutoCommit(false);
			StoredRecord dead = store.publish(new Note("dead"));
			deadLetter("projection.on", dead.position(), dead.record().uuid());
			PostgresDeadLetters deadLetters = new PostgresDeadLetters(pool, SETTINGS,
					StoreTestRecords.recordFactory().converter());
			assertThat(deadLetters.redrive("projection.on")).isEqualTo(1);
			assertThat(this.jdbc.queryForObject("SELECT redrive FROM eventy_dead_letters", Boolean.class)).isTrue();
		}
	}

	@Test
	void listedDeadLetterOfAReadableRecordHoldsItAndItsStoredJson() throws Exception {
		try (PostgresEventStore store = new PostgresEventStore(this.database, SETTINGS,
				StoreTestRecords.recordFactory())) {
			StoredRecord dead = store.publish(new OrderPlaced("42", 1200));
			deadLetter("orders", dead.position(), dead.record().uuid());
			assertThat(deadLetters().list("orders")).singleElement().satisfies((letter) -> {
				assertThat(letter.readable()).isTrue();
				assertThat(letter.unreadable()).isNull();
				assertThat(letter.id()).isEqualTo(Long.toString(dead.position()));
				assertThat(letter.uuid()).isEqualTo(dead.record().uuid());
				assertThat(letter.qualifiedName()).isEqualTo("urn:shop:OrderPlaced");
				assertThat(letter.record().position()).isEqualTo(dead.position());
				assertThat(letter.record().payload(OrderPlaced.class)).isEqualTo(new OrderPlaced("42", 1200));
				assertThat(letter.attempts()).isEqualTo(3);
				assertThat(letter.lastError()).isEqualTo("boom");
				JsonNode json = MAPPER.readTree(letter.json());
				assertThat(json.get("type").asText()).isEqualTo("EVENT");
				assertThat(json.get("uuid").asText()).isEqualTo(dead.record().uuid().toString());
				assertThat(json.get("version").asText()).isEqualTo("1.2.0");
				assertThat(json.get("date_timestamp").asLong()).isEqualTo(dead.record().date().toEpochMilli());
				assertThat(json.get("date_iso8601").asText()).endsWith("+00:00");
				assertThat(json.get("data")).isEqualTo(MAPPER.readTree("{\"orderId\":\"42\",\"amountCents\":1200}"));
				assertThat(json.has("destination")).isFalse();
			});
		}
	}

	@Test
	void deadLetterWhoseRecordIsGoneIsStillListed() {
		UUID uuid = UUID.randomUUID();
		deadLetter("orders", 999, uuid);
		assertThat(deadLetters().list("orders")).singleElement().satisfies((letter) -> {
			assertThat(letter.readable()).isFalse();
			assertThat(letter.id()).isEqualTo("999");
			assertThat(letter.uuid()).isEqualTo(uuid);
			assertThat(letter.qualifiedName()).isNull();
			assertThat(letter.unreadable()).startsWith("No record at position 999 in ").endsWith("eventy_records");
			assertThat(letter.json()).isEmpty();
		});
	}

	@Test
	void unreadableRecordIsDeadLetteredListedWithItsStoredJsonAndReasonAndHandledOnceRepairedAndRedriven()
			throws Exception {
		try (AnnotationConfigApplicationContext context = start()) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			Orders orders = context.getBean(Orders.class);
			PostgresDeadLetters deadLetters = context.getBean(PostgresDeadLetters.class);
			UUID uuid = UUID.randomUUID();
			// written by another tool: data that is not a JSON object
			this.jdbc.update("INSERT INTO eventy_records (uuid, kind, namespace, name, protocol_version, version, "
					+ "source, correlation_id, recorded_at, context, data) VALUES (?, 'EVENT', 'urn:shop', "
					+ "'OrderPlaced', '1.0.0', '1.2.0', 'urn:other-tool', 'trace-1', now(), '{}', "
					+ "'[\"not\", \"an\", \"object\"]')", uuid);
			long position = this.jdbc.queryForObject("SELECT position FROM eventy_records WHERE uuid = ?", Long.class,
					uuid);
			store.publish(new OrderPlaced("after", 1));
			await().atMost(DEADLINE).until(() -> orders.handled.contains("after"));
			await().atMost(DEADLINE).until(() -> deadLetters.list("orders").size() == 1);

			DeadLetter letter = deadLetters.list("orders").get(0);
			assertThat(letter.readable()).isFalse();
			assertThat(letter.record()).isNull();
			assertThat(letter.subscription()).isEqualTo("orders");
			assertThat(letter.id()).isEqualTo(Long.toString(position));
			assertThat(letter.uuid()).isEqualTo(uuid);
			assertThat(letter.qualifiedName()).isEqualTo("urn:shop:OrderPlaced");
			assertThat(letter.unreadable()).isEqualTo("Record at position " + position
					+ " cannot be read: java.lang.IllegalStateException: data is not a JSON object");
			assertThat(letter.attempts()).isEqualTo(1);
			assertThat(letter.lastError()).contains("data is not a JSON object");
			JsonNode json = MAPPER.readTree(letter.json());
			assertThat(json.get("uuid").asText()).isEqualTo(uuid.toString());
			assertThat(json.get("source").asText()).isEqualTo("urn:other-tool");
			assertThat(json.get("correlation_id").asText()).isEqualTo("trace-1");
			assertThat(json.get("data")).isEqualTo(MAPPER.readTree("[\"not\", \"an\", \"object\"]"));

			// still unreadable: dead again
			assertThat(deadLetters.redrive("orders")).isEqualTo(1);
			await().atMost(DEADLINE)
				.until(() -> deadLetters.list("orders").stream().anyMatch((dead) -> dead.attempts() == 2));
			assertThat(deadLetters.list("orders")).singleElement()
				.satisfies((dead) -> assertThat(dead.readable()).isFalse());

			this.jdbc.update("UPDATE eventy_records SET data = '{\"orderId\": \"repaired\", \"amountCents\": 5}' "
					+ "WHERE uuid = ?", uuid);
			assertThat(deadLetters.list("orders")).singleElement().satisfies((dead) -> {
				assertThat(dead.readable()).isTrue();
				assertThat(dead.record().payload(OrderPlaced.class)).isEqualTo(new OrderPlaced("repaired", 5));
			});
			assertThat(deadLetters.redrive("orders")).isEqualTo(1);
			await().atMost(DEADLINE).until(() -> orders.handled.contains("repaired"));
			await().atMost(DEADLINE).until(() -> deadLetters.list("orders").isEmpty());
			assertThat(orders.handled).containsExactly("after", "repaired");
			assertThat(orders.calls).hasValue(2);
		}
	}

	@Test
	void redrivesOneDeadLetterByItsRecordsUuidAndLeavesTheOthers() {
		List<StoredRecord> dead = deadLetters("orders", 3);
		PostgresDeadLetters deadLetters = deadLetters();
		assertThat(deadLetters.redrive("orders", dead.get(1).record().uuid())).isTrue();
		assertThat(this.jdbc.queryForList("SELECT uuid FROM eventy_dead_letters WHERE redrive", UUID.class))
			.containsExactly(dead.get(1).record().uuid());
		assertThat(deadLetters.redrive("orders", UUID.randomUUID())).isFalse();
		assertThat(deadLetters.redrive("other", dead.get(0).record().uuid())).isFalse();
		assertThat(deadLetters.count("orders")).isEqualTo(3);
	}

	@Test
	void redrivenOneDeadLetterIsHandledAndLeavesWhileTheOtherStays() {
		try (AnnotationConfigApplicationContext context = start()) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			Orders orders = context.getBean(Orders.class);
			StoredRecord first = store.publish(new OrderPlaced("first", 1));
			StoredRecord second = store.publish(new OrderPlaced("second", 2));
			await().atMost(DEADLINE).until(() -> orders.handled.size() == 2);
			deadLetter("orders", first.position(), first.record().uuid());
			deadLetter("orders", second.position(), second.record().uuid());
			PostgresDeadLetters deadLetters = context.getBean(PostgresDeadLetters.class);
			assertThat(deadLetters.redrive("orders", second.record().uuid())).isTrue();
			await().atMost(DEADLINE).until(() -> deadLetters.count("orders") == 1);
			assertThat(orders.handled).containsExactly("first", "second", "second");
			assertThat(deadLetters.list("orders")).singleElement()
				.satisfies((letter) -> assertThat(letter.uuid()).isEqualTo(first.record().uuid()));
		}
	}

	@Test
	void discardsOneDeadLetterThenEveryDeadLetterOfOneSubscriptionButNeverTheRecords() {
		List<StoredRecord> dead = deadLetters("orders", 3);
		deadLetter("other", dead.get(0).position(), dead.get(0).record().uuid());
		PostgresDeadLetters deadLetters = deadLetters();
		assertThat(deadLetters.discard("orders", dead.get(0).record().uuid())).isTrue();
		assertThat(deadLetters.discard("orders", dead.get(0).record().uuid())).isFalse();
		assertThat(deadLetters.list("orders")).extracting(DeadLetter::uuid)
			.containsExactly(dead.get(1).record().uuid(), dead.get(2).record().uuid());
		assertThat(deadLetters.discard("orders")).isEqualTo(2);
		assertThat(deadLetters.count("orders")).isZero();
		assertThat(deadLetters.discard("orders")).isZero();
		assertThat(deadLetters.count("other")).isEqualTo(1);
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM eventy_records", Long.class)).isEqualTo(3);
	}

	@Test
	void listsAPageOfDeadLettersOldestRecordFirstAndCountsThemInTheDatabase() {
		List<StoredRecord> dead = deadLetters("orders", 5);
		PostgresDeadLetters deadLetters = deadLetters();
		assertThat(deadLetters.list("orders", 1, 2)).extracting(DeadLetter::uuid)
			.containsExactly(dead.get(1).record().uuid(), dead.get(2).record().uuid());
		assertThat(deadLetters.list("orders", 4, 10)).extracting(DeadLetter::uuid)
			.containsExactly(dead.get(4).record().uuid());
		assertThat(deadLetters.list("orders", 5, 10)).isEmpty();
		assertThat(deadLetters.list("orders", 0, 0)).isEmpty();
		assertThat(deadLetters.count("orders")).isEqualTo(5);
	}

	@Test
	void aSubscriptionWithoutDeadLettersListsNothingAndCountsZero() {
		PostgresDeadLetters deadLetters = deadLetters();
		assertThat(deadLetters.list("unknown", 0, 10)).isEmpty();
		assertThat(deadLetters.count("unknown")).isZero();
		assertThat(deadLetters.redrive("unknown", UUID.randomUUID())).isFalse();
		assertThat(deadLetters.discard("unknown", UUID.randomUUID())).isFalse();
		assertThat(deadLetters.discard("unknown")).isZero();
	}

	@Test
	void retentionDeletesTheDeadLettersThatDiedLongerAgoExceptThoseInLineAndNeverRecords() {
		List<StoredRecord> dead = deadLetters("orders", 3);
		deadLetter("other", dead.get(0).position(), dead.get(0).record().uuid());
		this.jdbc.update(
				"UPDATE eventy_dead_letters SET dead_at = now() - interval '31 days' " + "WHERE uuid IN (?, ?)",
				dead.get(0).record().uuid(), dead.get(1).record().uuid());
		this.jdbc.update("UPDATE eventy_dead_letters SET redrive = true WHERE uuid = ?", dead.get(1).record().uuid());
		PostgresDeadLetterRetention retention = new PostgresDeadLetterRetention(this.database, SETTINGS,
				Duration.ofDays(30), Duration.ofHours(1));
		assertThat(retention.deleteExpired()).isEqualTo(2);
		assertThat(deadLetters().list("orders")).extracting(DeadLetter::uuid)
			.containsExactly(dead.get(1).record().uuid(), dead.get(2).record().uuid());
		assertThat(deadLetters().count("other")).isZero();
		assertThat(retention.deleteExpired()).isZero();
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM eventy_records", Long.class)).isEqualTo(3);
	}

	@Test
	void retentionRunsOnOneInstanceAtATime() throws Exception {
		List<StoredRecord> dead = deadLetters("orders", 1);
		this.jdbc.update("UPDATE eventy_dead_letters SET dead_at = now() - interval '2 hours'");
		PostgresDeadLetterRetention retention = new PostgresDeadLetterRetention(this.database, SETTINGS,
				Duration.ofHours(1), Duration.ofHours(1));
		try (java.sql.Connection other = this.database.getConnection()) {
			other.setAutoCommit(false);
			other.createStatement()
				.execute("SELECT pg_advisory_xact_lock(hashtextextended("
						+ "'eventy:public.eventy_dead_letters:retention', 0))");
			assertThat(retention.deleteExpired()).isEqualTo(-1);
			assertThat(deadLetters().count("orders")).isOne();
			other.commit();
		}
		assertThat(retention.deleteExpired()).isOne();
		assertThat(deadLetters().list("orders")).isEmpty();
		assertThat(dead).hasSize(1);
	}

	@Test
	void retentionDeletesWhenItStartsAndThenAtItsInterval() {
		deadLetters("orders", 2);
		this.jdbc.update("UPDATE eventy_dead_letters SET dead_at = now() - interval '2 hours'");
		PostgresDeadLetterRetention retention = new PostgresDeadLetterRetention(this.database, SETTINGS,
				Duration.ofHours(1), Duration.ofMillis(200));
		retention.start();
		try {
			await().atMost(DEADLINE).until(() -> deadLetters().count("orders") == 0);
			deadLetters("orders", 1);
			this.jdbc.update("UPDATE eventy_dead_letters SET dead_at = now() - interval '2 hours'");
			await().atMost(DEADLINE).until(() -> deadLetters().count("orders") == 0);
		}
		finally {
			retention.stop();
		}
		assertThat(retention.isRunning()).isFalse();
	}

	private List<StoredRecord> deadLetters(String subscription, int count) {
		try (PostgresEventStore store = new PostgresEventStore(this.database, SETTINGS,
				StoreTestRecords.recordFactory())) {
			List<StoredRecord> dead = new java.util.ArrayList<>();
			for (int i = 0; i < count; i++) {
				StoredRecord record = store.publish(new Note("dead-" + i));
				deadLetter(subscription, record.position(), record.record().uuid());
				dead.add(record);
			}
			return dead;
		}
	}

	private static PGSimpleDataSource newDatabase() {
		PGSimpleDataSource database = PostgresTestDatabase.newDatabase();
		new PostgresSchemaInitializer(database, SETTINGS).initialize();
		return database;
	}

	private void deadLetter(String subscription, long position, UUID uuid) {
		this.jdbc.update("INSERT INTO eventy_dead_letters (subscription, position, uuid, attempts, last_error) "
				+ "VALUES (?, ?, ?, 3, 'boom')", subscription, position, uuid);
	}

	private PostgresDeadLetters deadLetters() {
		return new PostgresDeadLetters(this.database, SETTINGS, StoreTestRecords.recordFactory().converter());
	}

	private AnnotationConfigApplicationContext start() {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		RecordFactory factory = StoreTestRecords.recordFactory();
		SubscriptionOptions options = new SubscriptionOptions(100, Duration.ofMillis(200), StartPosition.EARLIEST,
				new RetryPolicy(3, Duration.ofMillis(10), 2.0, Duration.ofMillis(50)));
		context.register(Handlers.class);
		context.registerBean(DataSource.class, () -> this.database);
		context.registerBean(RecordFactory.class, () -> factory);
		context.registerBean(PostgresEventStore.class, () -> new PostgresEventStore(this.database, SETTINGS, factory));
		context.registerBean(PlatformTransactionManager.class, () -> new DataSourceTransactionManager(this.database));
		context.registerBean(PostgresSubscriptions.class,
				() -> new PostgresSubscriptions(this.database, SETTINGS, context.getBean(HandlerEndpointRegistry.class),
						factory.converter(), options, context.getBean(PlatformTransactionManager.class), context));
		context.registerBean(PostgresDeadLetters.class,
				() -> new PostgresDeadLetters(this.database, SETTINGS, factory.converter()));
		context.registerBean(Orders.class);
		context.refresh();
		return context;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableEventHandlers
	static class Handlers {

	}

	static class Orders {

		final List<String> handled = new CopyOnWriteArrayList<>();

		final AtomicInteger calls = new AtomicInteger();

		@EventHandler(subscription = "orders")
		void on(OrderPlaced event) {
			this.calls.incrementAndGet();
			this.handled.add(event.orderId());
		}

	}

}
