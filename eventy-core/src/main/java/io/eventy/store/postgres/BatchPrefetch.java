package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import io.eventy.record.RecordTypeDescriptor;
import io.eventy.store.postgres.SubscriptionRecordReader.Batch;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a segment's next batch on a thread of its own while its worker handles the
 * current one, so that a subscription catching up does not wait for the database between
 * batches. The worker asks for the batch after the last record of a full batch before
 * handling it, and takes it at its next step if its checkpoint is then right there;
 * otherwise (a failed call, a stop, another instance) the batch read ahead is dropped and
 * the worker reads as it would have.
 * <p>
 * Reading ahead keeps the reading rule: a read returns only records of transactions below
 * the horizon it saw, where nothing new can appear later, so the records after a key are
 * the same whether they are read before the checkpoint reaches that key or after. The
 * batch read ahead is the one the worker would have read, or, when fewer records were
 * there, a shorter one that the next read continues.
 */
final class BatchPrefetch implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(BatchPrefetch.class);

	private final DataSource dataSource;

	private final SubscriptionRecordReader reader;

	private final int limit;

	private final @Nullable RecordTypeDescriptor type;

	private final Segment segment;

	private final String threadName;

	private @Nullable ExecutorService executor;

	private @Nullable RecordKey after;

	private @Nullable CompletableFuture<Batch> pending;

	BatchPrefetch(DataSource dataSource, SubscriptionRecordReader reader, int limit,
			@Nullable RecordTypeDescriptor type, Segment segment, String threadName) {
		this.dataSource = dataSource;
		this.reader = reader;
		this.limit = limit;
		this.type = type;
		this.segment = segment;
		this.threadName = threadName;
	}

	/**
	 * Start reading the batch after a key, dropping one read before.
	 * @param after the key of the last record of the batch being handled
	 */
	void start(RecordKey after) {
		ExecutorService executor = this.executor;
		if (executor == null) {
			executor = Executors.newSingleThreadExecutor((task) -> {
				Thread thread = new Thread(task, this.threadName);
				thread.setDaemon(true);
				return thread;
			});
			this.executor = executor;
		}
		this.after = after;
		this.pending = CompletableFuture.supplyAsync(() -> read(after), executor);
	}

	/**
	 * Take the batch read ahead, if it was read after a key, waiting for the read to end.
	 * @param after the key the worker reads after: its checkpoint
	 * @return the batch, or {@code null} when none was read after that key or the read
	 * failed (the worker reads it itself)
	 * @throws InterruptedException if the worker is interrupted while it waits
	 */
	@Nullable Batch take(RecordKey after) throws InterruptedException {
		CompletableFuture<Batch> pending = this.pending;
		RecordKey key = this.after;
		this.pending = null;
		this.after = null;
		if (pending == null || !after.equals(key)) {
			return null;
		}
		try {
			return pending.get();
		}
		catch (ExecutionException ex) {
			logger.debug("Reading ahead after {} failed; the worker reads again", after, ex.getCause());
			return null;
		}
	}

	private Batch read(RecordKey after) {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			return this.reader.read(connection, after, this.limit, this.type, this.segment);
		}
		catch (SQLException ex) {
			throw new CompletionException(ex);
		}
	}

	/**
	 * Drop what is read ahead and end the thread once its read is done.
	 */
	@Override
	public void close() {
		this.pending = null;
		this.after = null;
		ExecutorService executor = this.executor;
		if (executor != null) {
			executor.shutdown();
		}
	}

}
