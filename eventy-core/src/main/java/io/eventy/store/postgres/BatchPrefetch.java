package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import io.eventy.store.postgres.SubscriptionRecordReader.Batch;
import io.eventy.store.postgres.SubscriptionRecordReader.ReadRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a segment's next batches on a thread of its own while its worker handles the
 * current one, so that a subscription catching up keeps the database busy reading instead
 * of waiting for the handler, and the handler does not wait for the database. After a
 * full batch, the worker asks for the batches after its last record; the thread reads
 * several batches in one query (about {@link #ROWS_PER_READ} records: a query costs the
 * database about as much for 100 records as for 1000; fewer when records are large) and
 * cuts the result into batches of the subscription's size, then reads on after the last
 * record, as long as the reads are full and few enough batches, with little enough text
 * ({@link #TEXT_AHEAD}), wait for the worker. The worker takes the first batch at its
 * next step if its checkpoint is then right where that one starts; otherwise (a failed
 * call, a stop, another instance) everything read ahead is dropped and the worker reads
 * as it would have.
 * <p>
 * Reading ahead keeps the reading rule: a read returns only records of transactions below
 * the horizon it saw, where nothing new can appear later, so the records after a key are
 * the same whether they are read before the checkpoint reaches that key or after. A batch
 * read ahead is the one the worker would have read, or, when fewer records were there, a
 * shorter one that the next read continues. A batch cut from a longer read is likewise
 * the one the worker would have read after the batch before it.
 */
final class BatchPrefetch implements AutoCloseable {

	/** How many records one read ahead asks for, rounded down to whole batches. */
	static final int ROWS_PER_READ = 1000;

	/** How many batches wait for the worker at least before reading pauses. */
	static final int DEPTH = 4;

	/**
	 * How much JSON text (characters of data and context) waits for the worker at most
	 * before reading pauses; a read asks for fewer batches when its records are large, so
	 * that it brings about half of it.
	 */
	static final long TEXT_AHEAD = 4_000_000;

	private static final Logger logger = LoggerFactory.getLogger(BatchPrefetch.class);

	private final DataSource dataSource;

	private final SubscriptionRecordReader reader;

	private final int limit;

	/** How many batches one read ahead asks for at most. */
	private final int batchesPerRead;

	/**
	 * How many batches the next read asks for, from the size of the records before;
	 * guarded by this.
	 */
	private int batchesNext;

	/** The text of the batches read ahead that wait for the worker; guarded by this. */
	private long textAhead;

	/** How many batches may wait for the worker before reading pauses. */
	private final int depth;

	private final List<String> names;

	private final Segment segment;

	private final String threadName;

	/** The batches read or being read ahead, in reading order; guarded by this. */
	private final Deque<Ahead> ahead = new ArrayDeque<>();

	/** Counts the times everything read ahead was dropped; guarded by this. */
	private int generation;

	/** Where reading goes on once the worker has taken a batch; guarded by this. */
	private @Nullable RecordKey paused;

	private @Nullable ExecutorService executor;

	/**
	 * Read ahead for a worker: a whole subscription in reads of several batches, a
	 * segment batch by batch (its reads go through the records of every segment, and
	 * several segments read at once; longer reads made 8 segments on one instance slower
	 * than one).
	 */
	BatchPrefetch(DataSource dataSource, SubscriptionRecordReader reader, int limit, List<String> names,
			Segment segment, String threadName) {
		this(dataSource, reader, limit, segment.whole() ? Math.max(1, ROWS_PER_READ / limit) : 1, names, segment,
				threadName);
	}

	BatchPrefetch(DataSource dataSource, SubscriptionRecordReader reader, int limit, int batchesPerRead,
			List<String> names, Segment segment, String threadName) {
		this.dataSource = dataSource;
		this.reader = reader;
		this.limit = limit;
		this.batchesPerRead = batchesPerRead;
		this.batchesNext = 1;
		this.depth = Math.max(DEPTH, 2 * batchesPerRead);
		this.names = names;
		this.segment = segment;
		this.threadName = threadName;
	}

	/**
	 * Read on after a batch the worker took, unless that is being done already: the
	 * worker took a full batch and is about to handle it.
	 * @param taken the batch; reading goes on after the key it looked up to
	 */
	void start(Batch taken) {
		start(taken.seen(), textOf(taken.records()), taken.records().size());
	}

	/**
	 * Read on after a key, unless that is being done already.
	 * @param after the key of the last record of the batch the worker took
	 * @param text the characters of that batch's data and context, to size a new read
	 * @param records the number of records of that batch
	 */
	synchronized void start(RecordKey after, long text, int records) {
		Ahead next = this.ahead.peekFirst();
		if (next != null && next.after().equals(after)) {
			return;
		}
		if (next == null && after.equals(this.paused)) {
			this.paused = null;
			readAfter(after);
			return;
		}
		drop();
		// a first read, or one after everything was dropped: as many batches as fit,
		// from the size of the worker's own
		this.batchesNext = batchesFitting(text, records, this.batchesPerRead);
		readAfter(after);
	}

	/**
	 * Take the next batch read ahead, if it was read after a key, waiting for the read to
	 * end.
	 * @param after the key the worker reads after: its checkpoint
	 * @return the batch, or {@code null} when none was read after that key or the read
	 * failed (the worker reads it itself)
	 * @throws InterruptedException if the worker is interrupted while it waits
	 */
	@Nullable Batch take(RecordKey after) throws InterruptedException {
		Ahead next;
		synchronized (this) {
			next = this.ahead.peekFirst();
			if (next == null || !next.after().equals(after)) {
				drop();
				return null;
			}
			this.ahead.removeFirst();
			this.textAhead -= next.text();
			RecordKey paused = this.paused;
			if (paused != null && readsOn()) {
				this.paused = null;
				readAfter(paused);
			}
		}
		try {
			return next.batch().get();
		}
		catch (ExecutionException ex) {
			logger.debug("Reading ahead after {} failed; the worker reads again", after, ex.getCause());
			synchronized (this) {
				drop();
			}
			return null;
		}
	}

	/**
	 * Return how many batches are read or being read ahead (for tests).
	 * @return the number of batches
	 */
	synchronized int waiting() {
		return this.ahead.size();
	}

	// guarded by this
	private boolean readsOn() {
		return this.ahead.size() < this.depth && this.textAhead < TEXT_AHEAD;
	}

	// guarded by this
	private void readAfter(RecordKey after) {
		ExecutorService executor = this.executor;
		if (executor == null) {
			executor = Executors.newSingleThreadExecutor((task) -> {
				Thread thread = new Thread(task, this.threadName);
				thread.setDaemon(true);
				return thread;
			});
			this.executor = executor;
		}
		Ahead next = new Ahead(after, new CompletableFuture<>());
		this.ahead.addLast(next);
		int generation = this.generation;
		int batches = this.batchesNext;
		executor.execute(() -> read(next, generation, batches));
	}

	private void read(Ahead next, int generation, int batchesToRead) {
		try {
			readAhead(next, generation, batchesToRead);
		}
		catch (Throwable ex) {
			// whatever happens, the worker waiting for this batch reads it itself
			next.batch().completeExceptionally(new CompletionException(ex));
			if (ex instanceof Error error) {
				throw error;
			}
		}
	}

	private void readAhead(Ahead next, int generation, int batchesToRead) throws SQLException {
		Batch read;
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			read = this.reader.readFull(connection, next.after(), this.limit * batchesToRead, this.names, this.segment);
		}
		List<Batch> batches = cut(read);
		long text = textOf(read.records());
		// before the worker sees the first batch, so that it finds the others on its way:
		// this read is the last one in the queue, or was taken from it
		synchronized (this) {
			if (generation == this.generation) {
				if (this.ahead.peekLast() == next) {
					// the worker has not taken it yet
					next.waits(textOf(batches.get(0), read, text));
				}
				for (int i = 1; i < batches.size(); i++) {
					Batch batch = batches.get(i);
					Ahead ahead = new Ahead(batches.get(i - 1).seen(), CompletableFuture.completedFuture(batch));
					ahead.waits(textOf(batch, read, text));
					this.ahead.addLast(ahead);
				}
				// twice as many batches as this read at most, far fewer at once when
				// records
				// grew
				this.batchesNext = batchesFitting(text, read.records().size(),
						Math.min(this.batchesPerRead, 2 * batchesToRead));
				if (read.full()) {
					if (readsOn()) {
						readAfter(read.seen());
					}
					else {
						this.paused = read.seen();
					}
				}
			}
		}
		next.batch().complete(batches.get(0));
	}

	/**
	 * Return how many batches a read may ask for: as many as bring about half of
	 * {@link #TEXT_AHEAD} when their records are like the ones given, one at least.
	 */
	private int batchesFitting(long text, int records, int most) {
		if (records == 0) {
			return most;
		}
		long perBatch = Math.max(1, text * this.limit / records);
		return (int) Math.max(1, Math.min(most, TEXT_AHEAD / 2 / perBatch));
	}

	private static long textOf(List<ReadRecord> records) {
		long text = 0;
		for (ReadRecord record : records) {
			text += record.textLength();
		}
		return text;
	}

	private static long textOf(Batch batch, Batch read, long text) {
		return text * batch.records().size() / Math.max(1, read.records().size());
	}

	/**
	 * Cut a read into batches of the subscription's size. Each but the last is full and
	 * ends at its last record; the last one keeps how far the read looked and whether it
	 * was full.
	 */
	private List<Batch> cut(Batch read) {
		List<ReadRecord> records = read.records();
		if (records.size() <= this.limit) {
			return List.of(read);
		}
		List<Batch> batches = new ArrayList<>((records.size() + this.limit - 1) / this.limit);
		for (int from = 0; from < records.size(); from += this.limit) {
			int to = Math.min(from + this.limit, records.size());
			List<ReadRecord> part = records.subList(from, to);
			batches.add((to < records.size()) ? new Batch(part, part.get(part.size() - 1).key(), true)
					: new Batch(part, read.seen(), read.full()));
		}
		return batches;
	}

	// guarded by this
	private void drop() {
		this.generation++;
		this.ahead.clear();
		this.textAhead = 0;
		this.paused = null;
	}

	/**
	 * Drop what is read ahead and end the thread once its read is done.
	 */
	@Override
	public void close() {
		ExecutorService executor;
		synchronized (this) {
			drop();
			executor = this.executor;
		}
		if (executor != null) {
			executor.shutdown();
		}
	}

	/**
	 * A batch read or being read ahead.
	 */
	private final class Ahead {

		private final RecordKey after;

		private final CompletableFuture<Batch> batch;

		/**
		 * The characters of its records' data and context once read; guarded by the
		 * prefetch.
		 */
		private long text;

		Ahead(RecordKey after, CompletableFuture<Batch> batch) {
			this.after = after;
			this.batch = batch;
		}

		/** The key it is read after. */
		RecordKey after() {
			return this.after;
		}

		/** The batch, once read. */
		CompletableFuture<Batch> batch() {
			return this.batch;
		}

		/** The text it holds while it waits for the worker. */
		long text() {
			return this.text;
		}

		// guarded by the prefetch
		void waits(long text) {
			this.text = text;
			BatchPrefetch.this.textAhead += text;
		}

	}

	/**
	 * Return the text of the batches read ahead that wait for the worker (for tests).
	 * @return the characters of their records' data and context
	 */
	synchronized long textAhead() {
		return this.textAhead;
	}

	/**
	 * Return whether reading ahead waits for the worker to take batches (for tests).
	 * @return {@code true} when it does
	 */
	synchronized boolean isPaused() {
		return this.paused != null;
	}

}
