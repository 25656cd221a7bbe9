package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import io.eventy.store.postgres.SubscriptionRecordReader.Batch;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a segment's next batches on a thread of its own while its worker handles the
 * current one, so that a subscription catching up keeps the database busy reading instead
 * of waiting for the handler, and the handler does not wait for the database. After a
 * full batch, the worker asks for the batches after its last record; the thread reads one
 * after another, each after the last record of the one before, as long as they are full
 * and at most {@link #DEPTH} ahead of the worker. The worker takes the first one at its
 * next step if its checkpoint is then right where that one was read from; otherwise (a
 * failed call, a stop, another instance) everything read ahead is dropped and the worker
 * reads as it would have.
 * <p>
 * Reading ahead keeps the reading rule: a read returns only records of transactions below
 * the horizon it saw, where nothing new can appear later, so the records after a key are
 * the same whether they are read before the checkpoint reaches that key or after. A batch
 * read ahead is the one the worker would have read, or, when fewer records were there, a
 * shorter one that the next read continues.
 */
final class BatchPrefetch implements AutoCloseable {

	/** How many batches are read ahead of the worker at most. */
	static final int DEPTH = 4;

	private static final Logger logger = LoggerFactory.getLogger(BatchPrefetch.class);

	private final DataSource dataSource;

	private final SubscriptionRecordReader reader;

	private final int limit;

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

	BatchPrefetch(DataSource dataSource, SubscriptionRecordReader reader, int limit, List<String> names,
			Segment segment, String threadName) {
		this.dataSource = dataSource;
		this.reader = reader;
		this.limit = limit;
		this.names = names;
		this.segment = segment;
		this.threadName = threadName;
	}

	/**
	 * Read on after a key, unless that is being done already: the worker took a full
	 * batch that ends there and is about to handle it.
	 * @param after the key of the last record of the batch
	 */
	synchronized void start(RecordKey after) {
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
			RecordKey paused = this.paused;
			if (paused != null) {
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
		executor.execute(() -> read(next, generation));
	}

	private void read(Ahead next, int generation) {
		Batch batch;
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			batch = this.reader.readFull(connection, next.after(), this.limit, this.names, this.segment);
		}
		catch (SQLException | RuntimeException ex) {
			next.batch().completeExceptionally(new CompletionException(ex));
			return;
		}
		if (batch.full()) {
			// before the worker sees this batch, so that it finds the next one on its way
			synchronized (this) {
				if (generation == this.generation) {
					if (this.ahead.size() < DEPTH) {
						readAfter(batch.seen());
					}
					else {
						this.paused = batch.seen();
					}
				}
			}
		}
		next.batch().complete(batch);
	}

	// guarded by this
	private void drop() {
		this.generation++;
		this.ahead.clear();
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
	 *
	 * @param after the key it is read after
	 * @param batch the batch, once read
	 */
	private record Ahead(RecordKey after, CompletableFuture<Batch> batch) {
	}

}
