package io.eventy.store.postgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import io.eventy.record.RecordType;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A subscription catching up over a backlog in small batches, where its worker reads
 * batches ahead of the handler and moves an {@code AT_LEAST_ONCE} checkpoint only every
 * few batches: every record is handled, once, in stream order, and a failed call drops
 * what was read ahead.
 */
class PostgresCatchUpTests {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private static final int STREAMS = 20;

	private static final int PER_STREAM = 15;

	private final PGSimpleDataSource dataSource = PostgresHandlerFixture.database();

	@Test
	void atLeastOnceCatchesUpInSmallBatchesHandlingEveryRecordOnceInStreamOrder() {
		List<StoredRecord> backlog = backlog();
		try (AnnotationConfigApplicationContext context = context().bean("ledger", Ledger.class).start()) {
			Ledger ledger = context.getBean(Ledger.class);
			await().atMost(DEADLINE).until(() -> ledger.handled.size() >= backlog.size());
			assertInStreamOrderOnce(ledger.handled, backlog);
			StoredRecord last = backlog.get(backlog.size() - 1);
			await().atMost(DEADLINE).until(() -> checkpoint("ledger.on") == last.position());
		}
	}

	@Test
	void exactlyOnceCatchesUpInSmallBatchesHandlingEveryRecordOnceInStreamOrder() {
		List<StoredRecord> backlog = backlog();
		try (AnnotationConfigApplicationContext context = context().bean("journal", Journal.class).start()) {
			Journal journal = context.getBean(Journal.class);
			await().atMost(DEADLINE).until(() -> journal.handled.size() >= backlog.size());
			assertInStreamOrderOnce(journal.handled, backlog);
		}
	}

	@Test
	void aCallThatFailsWhileCatchingUpIsRetriedAndWhatWasReadAheadIsReadAgain() {
		List<StoredRecord> backlog = backlog();
		UUID failing = backlog.get(backlog.size() / 2 + 3).record().uuid();
		try (AnnotationConfigApplicationContext context = context()
			.bean("flaky", FlakyLedger.class, () -> new FlakyLedger(failing))
			.start()) {
			FlakyLedger ledger = context.getBean(FlakyLedger.class);
			await().atMost(DEADLINE).until(() -> ledger.handled.size() >= backlog.size() + 1);
			List<UUID> expected = new ArrayList<>(backlog.stream().map((record) -> record.record().uuid()).toList());
			// the failed call, then its retry
			expected.add(expected.indexOf(failing), failing);
			assertThat(ledger.handled).containsExactlyElementsOf(expected);
		}
	}

	private PostgresHandlerFixture.ContextBuilder context() {
		return PostgresHandlerFixture.context(this.dataSource)
			.options(PostgresHandlerFixture.fastOptions().withBatchSize(7));
	}

	/**
	 * Store records in streams, one transaction per round of streams, before any
	 * subscription starts.
	 */
	private List<StoredRecord> backlog() {
		PostgresEventStore store = PostgresHandlerFixture.store(this.dataSource);
		List<StoredRecord> stored = new ArrayList<>();
		for (int version = 1; version <= PER_STREAM; version++) {
			for (int stream = 0; stream < STREAMS; stream++) {
				stored.addAll(
						store
							.append(StreamId.of("account", "a" + stream), ExpectedVersion.exactly(version - 1),
									new Deposited("a" + stream, version))
							.records());
			}
		}
		return stored;
	}

	private static void assertInStreamOrderOnce(List<StoredRecord> handled, List<StoredRecord> backlog) {
		assertThat(handled).hasSize(backlog.size());
		assertThat(handled.stream().map((record) -> record.record().uuid()).distinct()).hasSize(backlog.size());
		Map<StreamId, Long> versions = new HashMap<>();
		for (StoredRecord record : handled) {
			long previous = versions.getOrDefault(record.stream(), 0L);
			assertThat(record.streamVersion()).isEqualTo(previous + 1);
			versions.put(record.stream(), record.streamVersion());
		}
		assertThat(versions).hasSize(STREAMS)
			.allSatisfy((stream, version) -> assertThat(version).isEqualTo(PER_STREAM));
	}

	private long checkpoint(String subscription) {
		Long position = new JdbcTemplate(this.dataSource).queryForObject(
				"SELECT checkpoint_position FROM eventy_subscriptions WHERE name = ?", Long.class, subscription);
		return (position != null) ? position : -1;
	}

	@RecordType(namespace = "urn:bank")
	record Deposited(String accountId, long amount) {
	}

	static class Ledger {

		final List<StoredRecord> handled = new CopyOnWriteArrayList<>();

		@EventHandler
		void on(Deposited deposited, StoredRecord record) {
			this.handled.add(record);
		}

	}

	static class Journal {

		final List<StoredRecord> handled = new CopyOnWriteArrayList<>();

		@EventHandler(guarantee = Guarantee.EXACTLY_ONCE)
		void on(Deposited deposited, StoredRecord record) {
			this.handled.add(record);
		}

	}

	static class FlakyLedger {

		final List<UUID> handled = new CopyOnWriteArrayList<>();

		private final UUID failing;

		private final AtomicBoolean failed = new AtomicBoolean();

		FlakyLedger(UUID failing) {
			this.failing = failing;
		}

		@EventHandler
		void on(Deposited deposited, StoredRecord record) {
			this.handled.add(record.record().uuid());
			if (record.record().uuid().equals(this.failing) && this.failed.compareAndSet(false, true)) {
				throw new IllegalStateException("fails once");
			}
		}

	}

}
