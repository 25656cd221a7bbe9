package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.eventy.handler.HandlerTestContexts;
import io.eventy.record.RecordType;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StreamId;
import io.eventy.store.postgres.SubscriptionRecordReader.Batch;
import io.eventy.store.postgres.SubscriptionRecordReader.ReadRecord;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * Reading ahead in reads of several batches: the batches a worker takes are the ones it
 * would have read itself, in order, whatever the size of the reads.
 */
class BatchPrefetchTests {

	private static final int BATCH = 3;

	private final PGSimpleDataSource dataSource = PostgresHandlerFixture.database();

	private final SubscriptionRecordReader reader = new SubscriptionRecordReader(PostgresHandlerFixture.SETTINGS,
			HandlerTestContexts.recordFactory().converter());

	@Test
	void batchesCutFromLongerReadsAreTheBatchesTheWorkerWouldHaveRead() throws Exception {
		store(41);
		List<Batch> expected = readItself();
		// 41 records in batches of 3: 13 full ones and a last one of 2; reads of 4
		// batches
		assertThat(expected).hasSize(14);
		List<Batch> taken = new ArrayList<>();
		try (BatchPrefetch prefetch = prefetch(4)) {
			Batch batch = expected.get(0);
			taken.add(batch);
			while (batch.full()) {
				prefetch.start(batch);
				batch = prefetch.take(batch.seen());
				assertThat(batch).as("batch %d read ahead", taken.size()).isNotNull();
				taken.add(batch);
			}
		}
		assertThat(taken).hasSameSizeAs(expected);
		for (int i = 0; i < expected.size(); i++) {
			assertThat(keys(taken.get(i))).as("batch %d", i).isEqualTo(keys(expected.get(i)));
			assertThat(taken.get(i).full()).as("batch %d full", i).isEqualTo(expected.get(i).full());
			assertThat(taken.get(i).seen()).as("batch %d seen", i).isEqualTo(expected.get(i).seen());
		}
	}

	@Test
	void aWorkerThatDidNotGoOnFromTheBatchItTookGetsNothingReadAheadAndReadsItself() throws Exception {
		store(30);
		List<Batch> expected = readItself();
		try (BatchPrefetch prefetch = prefetch(4)) {
			prefetch.start(expected.get(0));
			assertThat(keys(prefetch.take(expected.get(0).seen()))).isEqualTo(keys(expected.get(1)));
			// a failed call: the checkpoint stays where the batch taken started
			assertThat(prefetch.take(expected.get(0).seen())).isNull();
			// and what was read ahead is gone
			assertThat(prefetch.take(expected.get(1).seen())).isNull();
			prefetch.start(expected.get(1));
			assertThat(keys(prefetch.take(expected.get(1).seen()))).isEqualTo(keys(expected.get(2)));
		}
	}

	@Test
	void readingAheadPausesWhenEnoughBatchesWaitAndGoesOnAsTheWorkerTakesThem() throws Exception {
		// reads of 2 batches, at most 4 waiting: more than 4 read would mean no pause
		store(61);
		List<Batch> expected = readItself();
		try (BatchPrefetch prefetch = prefetch(2)) {
			prefetch.start(expected.get(0));
			Batch first = prefetch.take(expected.get(0).seen());
			assertThat(keys(first)).isEqualTo(keys(expected.get(1)));
			assertThat(prefetch.waiting()).isLessThanOrEqualTo(BatchPrefetch.DEPTH + 1);
			takeTheRest(prefetch, expected, 1,
					() -> assertThat(prefetch.waiting()).isLessThanOrEqualTo(BatchPrefetch.DEPTH + 1));
		}
	}

	@Test
	void readsOfLargeRecordsAskForFewerBatchesAndPauseOnceEnoughTextWaits() throws Exception {
		// batches of 3 records of 200,000 characters: 600,000 characters each
		PostgresEventStore store = PostgresHandlerFixture.store(this.dataSource);
		String text = "x".repeat(200_000);
		for (int i = 1; i <= 61; i++) {
			store.append(StreamId.of("note", "n" + i), ExpectedVersion.any(), new Noted(text));
		}
		List<Batch> expected = readItself();
		// reads of up to 10 batches, up to 20 batches waiting
		try (BatchPrefetch prefetch = prefetch(10)) {
			prefetch.start(expected.get(0));
			await().atMost(Duration.ofSeconds(20)).until(prefetch::isPaused);
			// paused by its text, not by the number of batches: three reads of 3 batches
			// (no more than 2,000,000 characters each, sized from the worker's batch)
			assertThat(prefetch.waiting()).isEqualTo(9);
			assertThat(prefetch.textAhead()).isBetween(BatchPrefetch.TEXT_AHEAD, BatchPrefetch.TEXT_AHEAD + 2_000_000);
			takeTheRest(prefetch, expected, 0,
					() -> assertThat(prefetch.textAhead()).isLessThan(BatchPrefetch.TEXT_AHEAD + 2_000_000));
			assertThat(prefetch.textAhead()).isZero();
		}
	}

	@Test
	void aReadThatFailsWithAnErrorLeavesTheWorkerToReadItselfRatherThanWaitForever() throws Exception {
		PGSimpleDataSource broken = new PGSimpleDataSource() {

			@Override
			public Connection getConnection() {
				throw new AssertionError("broken on purpose");
			}

		};
		RecordKey after = new RecordKey(1, 1);
		try (BatchPrefetch prefetch = new BatchPrefetch(broken, this.reader, BATCH, 4, List.of(), Segment.WHOLE,
				"prefetch-test")) {
			prefetch.start(after, 0, 0);
			Batch batch = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> prefetch.take(after));
			assertThat(batch).isNull();
		}
	}

	/**
	 * Take every batch after one the worker has, as the worker would, each the one it
	 * would have read itself, checking something after each.
	 */
	private static void takeTheRest(BatchPrefetch prefetch, List<Batch> expected, int had, Runnable check)
			throws InterruptedException {
		Batch batch = expected.get(had);
		int taken = had + 1;
		while (batch.full()) {
			batch = prefetch.take(batch.seen());
			assertThat(batch).as("batch %d read ahead", taken).isNotNull();
			assertThat(keys(batch)).as("batch %d", taken).isEqualTo(keys(expected.get(taken)));
			check.run();
			taken++;
		}
		assertThat(taken).isEqualTo(expected.size());
	}

	private BatchPrefetch prefetch(int batchesPerRead) {
		return new BatchPrefetch(this.dataSource, this.reader, BATCH, batchesPerRead, List.of(), Segment.WHOLE,
				"prefetch-test");
	}

	/** The batches a worker reads without reading ahead, from the start. */
	private List<Batch> readItself() throws SQLException {
		List<Batch> batches = new ArrayList<>();
		try (Connection connection = this.dataSource.getConnection()) {
			RecordKey after = RecordKey.START;
			Batch batch;
			do {
				batch = this.reader.read(connection, after, BATCH, List.of(), Segment.WHOLE);
				batches.add(batch);
				after = batch.seen();
			}
			while (batch.full());
		}
		return batches;
	}

	private void store(int records) {
		PostgresEventStore store = PostgresHandlerFixture.store(this.dataSource);
		for (int i = 1; i <= records; i++) {
			store.append(StreamId.of("meter", "m" + (i % 5)), ExpectedVersion.any(), new Metered(i));
		}
	}

	private static List<RecordKey> keys(Batch batch) {
		assertThat(batch).isNotNull();
		return batch.records().stream().map(ReadRecord::key).toList();
	}

	@RecordType(namespace = "urn:meters")
	record Metered(long value) {
	}

	@RecordType(namespace = "urn:meters")
	record Noted(String text) {
	}

}
