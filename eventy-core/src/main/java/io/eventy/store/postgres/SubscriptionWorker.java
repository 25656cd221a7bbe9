package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.eventy.handler.HandlerEndpoint;
import io.eventy.handler.RetryPolicy;
import io.eventy.handler.SubscriptionOptions;
import io.eventy.store.StoredRecord;
import io.eventy.store.postgres.DeadLetterTable.Pending;
import io.eventy.store.postgres.SubscriptionRecordReader.Batch;
import io.eventy.store.postgres.SubscriptionRecordReader.ReadRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one subscription on its own thread: reads batches after the checkpoint, calls the
 * handler as its guarantee prescribes, retries with backoff, gives up into the dead
 * letters, and waits for a notification or the poll interval when there is nothing to
 * read. A record is only ever handled while this worker holds the subscription's advisory
 * lock, and every checkpoint move compares the expected checkpoint, so two instances
 * never handle the same record.
 * <p>
 * Handler failures count as attempts; database failures of the worker itself do not: the
 * batch is abandoned without moving the checkpoint and read again later.
 */
final class SubscriptionWorker implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(SubscriptionWorker.class);

	/** A re-driven dead letter is looked for at least once in this many full batches. */
	private static final int REDRIVE_CHECK_BATCHES = 50;

	private static final int MAX_ERROR_LENGTH = 4000;

	private final HandlerEndpoint endpoint;

	private final String name;

	private final DataSource dataSource;

	private final SubscriptionCheckpoints checkpoints;

	private final SubscriptionRecordReader reader;

	private final DeadLetterTable deadLetters;

	private final SubscriptionOptions options;

	private final TransactionTemplate transactions;

	private final Consumer<String> caughtUp;

	private final WakeSignal signal = new WakeSignal();

	private boolean caughtUpPublished;

	private int batchesSinceRedriveCheck = REDRIVE_CHECK_BATCHES;

	private int databaseFailures;

	SubscriptionWorker(HandlerEndpoint endpoint, DataSource dataSource, SubscriptionCheckpoints checkpoints,
			SubscriptionRecordReader reader, DeadLetterTable deadLetters, SubscriptionOptions options,
			TransactionTemplate transactions, Consumer<String> caughtUp) {
		this.endpoint = endpoint;
		this.name = endpoint.subscription();
		this.dataSource = dataSource;
		this.checkpoints = checkpoints;
		this.reader = reader;
		this.deadLetters = deadLetters;
		this.options = options;
		this.transactions = transactions;
		this.caughtUp = caughtUp;
	}

	String name() {
		return this.name;
	}

	/**
	 * Look for new records now, or as soon as the current batch is done.
	 */
	void wake() {
		this.signal.signal();
	}

	/**
	 * Stop after the record being handled; the rest of the batch is left for later.
	 */
	void stop() {
		this.signal.stop();
	}

	private boolean running() {
		return !this.signal.isStopped();
	}

	@Override
	public void run() {
		logger.debug("Subscription '{}' started", this.name);
		while (running()) {
			try {
				Next next = step();
				if (this.databaseFailures > 0) {
					logger.info("Subscription '{}' reaches the database again", this.name);
					this.databaseFailures = 0;
				}
				if (next.kind() == Next.Kind.AT_HEAD) {
					announceCaughtUp();
				}
				if (next.kind() == Next.Kind.IDLE || next.kind() == Next.Kind.AT_HEAD) {
					this.batchesSinceRedriveCheck = REDRIVE_CHECK_BATCHES;
					this.signal.await(this.options.pollInterval());
				}
				else if (next.kind() == Next.Kind.BACKOFF) {
					this.signal.sleep(next.delay());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			catch (Throwable ex) {
				waitAfterDatabaseFailure(ex);
			}
		}
		logger.debug("Subscription '{}' stopped", this.name);
	}

	private void waitAfterDatabaseFailure(Throwable ex) {
		this.databaseFailures++;
		Duration delay = Duration.ofMillis(Math.min(5000, 100L << Math.min(this.databaseFailures, 6)));
		if (this.databaseFailures == 1) {
			logger.warn("Subscription '{}' could not read or move its checkpoint; the batch is read again in {}",
					this.name, delay, ex);
		}
		else {
			logger.debug("Subscription '{}' still cannot reach the database", this.name, ex);
		}
		try {
			this.signal.await(delay);
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Do one unit of work: a re-driven dead letter or a batch.
	 * @return what to do next
	 * @throws SQLException if the database fails
	 */
	Next step() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try {
				Next next = step(connection);
				connection.commit();
				return next;
			}
			catch (SQLException | RuntimeException | Error ex) {
				rollbackQuietly(connection);
				throw ex;
			}
		}
	}

	private Next step(Connection lock) throws SQLException {
		if (!this.checkpoints.tryLock(lock, this.name)) {
			// another instance works on this subscription; look again when woken
			return Next.IDLE;
		}
		Checkpoint checkpoint = this.checkpoints.read(lock, this.name);
		if (checkpoint == null) {
			this.checkpoints.create(lock, this.name, this.options.startPosition());
			return Next.CONTINUE;
		}
		if (++this.batchesSinceRedriveCheck >= REDRIVE_CHECK_BATCHES) {
			this.batchesSinceRedriveCheck = 0;
			Pending pending = this.deadLetters.nextRedrive(lock, this.name);
			if (pending != null) {
				this.batchesSinceRedriveCheck = REDRIVE_CHECK_BATCHES;
				return redrive(lock, pending);
			}
		}
		Batch batch = this.reader.read(lock, checkpoint.key(), this.options.batchSize(), this.endpoint.recordType());
		return switch (this.endpoint.guarantee()) {
			case AT_LEAST_ONCE -> atLeastOnce(lock, checkpoint, batch);
			case AT_MOST_ONCE -> atMostOnce(lock, checkpoint, batch);
			case EXACTLY_ONCE -> exactlyOnce(lock, checkpoint, batch);
		};
	}

	/**
	 * Handle, then move the checkpoint once for the whole batch: after a crash the
	 * records since the checkpoint are handled again.
	 */
	private Next atLeastOnce(Connection lock, Checkpoint checkpoint, Batch batch) throws SQLException {
		RecordKey done = checkpoint.key();
		for (ReadRecord record : batch.records()) {
			if (!running()) {
				return moveTo(lock, checkpoint.key(), done, Next.CONTINUE);
			}
			if (selected(record)) {
				Throwable failure = call(record);
				if (failure != null) {
					return failed(lock, checkpoint, done, record, failure);
				}
			}
			done = record.key();
		}
		return moveTo(lock, checkpoint.key(), batch.full() ? done : RecordKey.max(done, batch.seen()),
				endOfBatch(batch));
	}

	/**
	 * Move the checkpoint past each record before its handler runs, on a second
	 * connection that commits at once, while the first one keeps the lock: after a crash
	 * nothing is handled again. A failure is not retried; the record becomes a dead
	 * letter.
	 */
	private Next atMostOnce(Connection lock, Checkpoint checkpoint, Batch batch) throws SQLException {
		try (Connection claims = this.dataSource.getConnection()) {
			claims.setAutoCommit(true);
			RecordKey done = checkpoint.key();
			for (ReadRecord record : batch.records()) {
				if (!running()) {
					return Next.CONTINUE;
				}
				if (!selected(record)) {
					continue;
				}
				if (!this.checkpoints.advance(claims, this.name, done, record.key())) {
					return lostCheckpoint();
				}
				done = record.key();
				Throwable failure = call(record);
				if (failure != null) {
					giveUp(claims, record, 1, failure);
				}
			}
			RecordKey end = batch.records().isEmpty() ? done : batch.records().get(batch.records().size() - 1).key();
			return moveTo(claims, done, batch.full() ? end : RecordKey.max(end, batch.seen()), endOfBatch(batch));
		}
	}

	/**
	 * Handle each record in its own transaction, which first takes the lock and moves the
	 * checkpoint, then runs the handler: its JDBC writes, the records it returns and the
	 * checkpoint commit together or not at all.
	 */
	private Next exactlyOnce(Connection lock, Checkpoint checkpoint, Batch batch) throws SQLException {
		// the lock connection's transaction ends here; each record takes the lock again
		lock.commit();
		RecordKey done = checkpoint.key();
		RecordKey looked = done;
		for (ReadRecord record : batch.records()) {
			if (!running()) {
				return moveTo(lock, done, looked, Next.CONTINUE);
			}
			if (!selected(record)) {
				looked = record.key();
				continue;
			}
			RecordKey expected = done;
			Outcome outcome = inTransaction(record,
					(connection) -> this.checkpoints.advance(connection, this.name, expected, record.key()));
			if (outcome.lost()) {
				return lostCheckpoint();
			}
			Throwable failure = outcome.failure();
			if (failure != null) {
				int attempts = attemptsAfterFailure(checkpoint, expected);
				if (!isFinal(failure, attempts, record)) {
					return retryLater(lock, expected, record, attempts, failure);
				}
				boolean moved = giveUpInTransaction(record, attempts, failure,
						(connection) -> this.checkpoints.advance(connection, this.name, expected, record.key()));
				return moved ? Next.CONTINUE : lostCheckpoint();
			}
			done = record.key();
			looked = done;
		}
		return moveTo(lock, done, batch.full() ? looked : RecordKey.max(looked, batch.seen()), endOfBatch(batch));
	}

	/**
	 * Handle a record in a transaction that first takes the lock and makes a claim (moves
	 * the checkpoint, removes a dead letter); when the handler fails on a request, answer
	 * it in a second such transaction.
	 */
	private Outcome inTransaction(ReadRecord record, Claim claim) throws SQLException {
		StoredRecord stored = record.record();
		if (stored == null) {
			return Outcome.failed(new IllegalStateException(record.unreadable()));
		}
		Outcome outcome = claimed(claim, () -> this.endpoint.handle(stored));
		Throwable failure = outcome.failure();
		if (failure != null && this.endpoint.answersFailures(stored)) {
			outcome = claimed(claim, () -> this.endpoint.answerFailure(stored, failure));
			if (outcome.failure() != null) {
				outcome.failure().addSuppressed(failure);
			}
		}
		return outcome;
	}

	private Outcome claimed(Claim claim, Runnable work) throws SQLException {
		try {
			Boolean claimed = this.transactions.execute((status) -> {
				if (!withBoundConnection(
						(connection) -> this.checkpoints.tryLock(connection, this.name) && claim.claim(connection))) {
					status.setRollbackOnly();
					return false;
				}
				work.run();
				return true;
			});
			return Boolean.TRUE.equals(claimed) ? Outcome.DONE : Outcome.LOST;
		}
		catch (SubscriptionDatabaseException ex) {
			throw ex.getCause();
		}
		catch (Throwable ex) {
			return Outcome.failed(ex);
		}
	}

	private boolean giveUpInTransaction(ReadRecord record, int attempts, Throwable failure, Claim claim)
			throws SQLException {
		try {
			Boolean moved = this.transactions.execute((status) -> withBoundConnection((connection) -> {
				if (!claim.claim(connection)) {
					return false;
				}
				giveUp(connection, record, attempts, failure);
				return true;
			}));
			return Boolean.TRUE.equals(moved);
		}
		catch (SubscriptionDatabaseException ex) {
			throw ex.getCause();
		}
	}

	private boolean withBoundConnection(Claim work) {
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try {
			return work.claim(connection);
		}
		catch (SQLException ex) {
			throw new SubscriptionDatabaseException(ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

	/**
	 * Handle a dead letter put back in line, with the subscription's guarantee, and retry
	 * it like a new record; one that keeps failing is dead again.
	 */
	private Next redrive(Connection lock, Pending pending) throws SQLException {
		ReadRecord record = pending.record();
		logger.info("Subscription '{}' handles re-driven dead letter at position {}", this.name,
				record.key().position());
		Throwable failure;
		switch (this.endpoint.guarantee()) {
			case AT_MOST_ONCE -> {
				try (Connection claims = this.dataSource.getConnection()) {
					claims.setAutoCommit(true);
					if (this.deadLetters.delete(claims, pending.id())) {
						failure = call(record);
						if (failure != null) {
							giveUp(claims, record, pending.attempts() + 1, failure);
						}
					}
				}
				return Next.CONTINUE;
			}
			case EXACTLY_ONCE -> {
				lock.commit();
				Outcome outcome = inTransaction(record,
						(connection) -> this.deadLetters.delete(connection, pending.id()));
				if (outcome.failure() == null) {
					return Next.CONTINUE;
				}
				failure = outcome.failure();
			}
			default -> {
				failure = call(record);
				if (failure == null) {
					this.deadLetters.delete(lock, pending.id());
					return Next.CONTINUE;
				}
			}
		}
		int attempts = pending.redriveAttempts() + 1;
		boolean retry = !isFinal(failure, attempts, record);
		this.deadLetters.redriveFailed(lock, pending.id(), attempts, describe(failure), retry);
		if (retry) {
			logger.warn(
					"Subscription '{}': re-driven dead letter at position {} failed again (attempt {} of {}), "
							+ "next attempt in {}: {}",
					this.name, record.key().position(), attempts, this.options.retry().maxAttempts(),
					this.options.retry().backoff(attempts), describe(failure));
			return Next.backoff(this.options.retry().backoff(attempts));
		}
		logger.error("Subscription '{}' gave up on re-driven dead letter at position {} again after {} attempts",
				this.name, record.key().position(), attempts, failure);
		return Next.CONTINUE;
	}

	/**
	 * A handler failed on a record: move the checkpoint up to the record before it, then
	 * either remember the failure and retry later, or give up on the record.
	 */
	private Next failed(Connection connection, Checkpoint checkpoint, RecordKey done, ReadRecord record,
			Throwable failure) throws SQLException {
		int attempts = attemptsAfterFailure(checkpoint, done);
		if (isFinal(failure, attempts, record)) {
			giveUp(connection, record, attempts, failure);
			return moveTo(connection, checkpoint.key(), record.key(), Next.CONTINUE);
		}
		if (!done.equals(checkpoint.key())
				&& !this.checkpoints.advance(connection, this.name, checkpoint.key(), done)) {
			return lostCheckpoint();
		}
		return retryLater(connection, done, record, attempts, failure);
	}

	private Next retryLater(Connection connection, RecordKey expected, ReadRecord record, int attempts,
			Throwable failure) throws SQLException {
		if (!this.checkpoints.recordFailure(connection, this.name, expected, attempts, describe(failure))) {
			return lostCheckpoint();
		}
		Duration delay = this.options.retry().backoff(attempts);
		if (attempts == 1) {
			logger.warn(
					"Subscription '{}': handler {} failed on record at position {} (attempt 1 of {}), "
							+ "next attempt in {}",
					this.name, this.endpoint.handlerName(), record.key().position(), this.options.retry().maxAttempts(),
					delay, failure);
		}
		else {
			logger.warn(
					"Subscription '{}': handler failed on record at position {} (attempt {} of {}), "
							+ "next attempt in {}: {}",
					this.name, record.key().position(), attempts, this.options.retry().maxAttempts(), delay,
					describe(failure));
		}
		return Next.backoff(delay);
	}

	private void giveUp(Connection connection, ReadRecord record, int attempts, Throwable failure) throws SQLException {
		this.deadLetters.insert(connection, this.name, record, attempts, describe(failure));
		logger.error(
				"Subscription '{}' gave up on record at position {} ({} {}) after {} attempt(s); "
						+ "it is a dead letter now",
				this.name, record.key().position(), record.qualifiedName(), record.uuid(), attempts, failure);
	}

	private boolean isFinal(Throwable failure, int attempts, ReadRecord record) {
		RetryPolicy retry = this.options.retry();
		return record.record() == null || !this.endpoint.isRetryable(failure) || !retry.canRetry(attempts);
	}

	private static int attemptsAfterFailure(Checkpoint checkpoint, RecordKey done) {
		// failed_attempts counts the record right after the checkpoint
		return (done.equals(checkpoint.key()) ? checkpoint.failedAttempts() : 0) + 1;
	}

	private Next moveTo(Connection connection, RecordKey expected, RecordKey target, Next next) throws SQLException {
		if (target.compareTo(expected) > 0 && !this.checkpoints.advance(connection, this.name, expected, target)) {
			return lostCheckpoint();
		}
		return next;
	}

	private static Next endOfBatch(Batch batch) {
		return batch.full() ? Next.CONTINUE : Next.AT_HEAD;
	}

	/**
	 * Announce the first time the subscription reaches the head; only after the step's
	 * commit, so that listeners see the checkpoint there.
	 */
	private void announceCaughtUp() {
		if (!this.caughtUpPublished && running()) {
			this.caughtUpPublished = true;
			try {
				this.caughtUp.accept(this.name);
			}
			catch (RuntimeException ex) {
				logger.warn("A listener of subscription '{}' catching up failed", this.name, ex);
			}
		}
	}

	private Next lostCheckpoint() {
		logger.debug("Subscription '{}' was moved on by another instance; this batch is left to it", this.name);
		return Next.IDLE;
	}

	private boolean selected(ReadRecord record) {
		return this.endpoint.accepts(record.qualifiedName());
	}

	/**
	 * Call the handler, or answer a request's failure with an error response.
	 * @return {@code null} on success, else the failure
	 */
	private @Nullable Throwable call(ReadRecord record) {
		StoredRecord stored = record.record();
		if (stored == null) {
			return new IllegalStateException(record.unreadable());
		}
		try {
			this.endpoint.handle(stored);
			return null;
		}
		catch (Throwable ex) {
			if (!this.endpoint.answersFailures(stored)) {
				return ex;
			}
			try {
				this.endpoint.answerFailure(stored, ex);
				return null;
			}
			catch (Throwable answerFailure) {
				answerFailure.addSuppressed(ex);
				return answerFailure;
			}
		}
	}

	private static StoredRecord stored(ReadRecord record) {
		StoredRecord stored = record.record();
		if (stored == null) {
			throw new IllegalStateException(record.unreadable());
		}
		return stored;
	}

	static String describe(Throwable failure) {
		StringBuilder description = new StringBuilder(failure.getClass().getName());
		if (failure.getMessage() != null) {
			description.append(": ").append(failure.getMessage());
		}
		Throwable cause = failure.getCause();
		if (cause != null && cause != failure && (failure.getMessage() == null
				|| !failure.getMessage().contains(String.valueOf(cause.getMessage())))) {
			description.append(" (caused by ").append(cause).append(')');
		}
		return (description.length() > MAX_ERROR_LENGTH) ? description.substring(0, MAX_ERROR_LENGTH)
				: description.toString();
	}

	private static void rollbackQuietly(Connection connection) {
		try {
			connection.rollback();
		}
		catch (SQLException ex) {
			logger.debug("Rollback failed", ex);
		}
	}

	/**
	 * A statement that claims a record inside a transaction.
	 */
	@FunctionalInterface
	private interface Claim {

		/**
		 * Make the claim.
		 * @param connection the transaction's connection
		 * @return whether the claim holds; {@code false} when another worker got there
		 * first
		 * @throws SQLException if the database fails
		 */
		boolean claim(Connection connection) throws SQLException;

	}

	/**
	 * How a transactional call went.
	 *
	 * @param lost whether the claim failed, so nothing was done
	 * @param failure what the handler threw, or {@code null}
	 */
	private record Outcome(boolean lost, @Nullable Throwable failure) {

		static final Outcome DONE = new Outcome(false, null);

		static final Outcome LOST = new Outcome(true, null);

		static Outcome failed(Throwable failure) {
			return new Outcome(false, failure);
		}

	}

	/**
	 * What a worker does after a step.
	 *
	 * @param kind what to do
	 * @param delay how long to wait before the next step, for a backoff
	 */
	record Next(Kind kind, Duration delay) {

		static final Next CONTINUE = new Next(Kind.CONTINUE, Duration.ZERO);

		static final Next IDLE = new Next(Kind.IDLE, Duration.ZERO);

		static final Next AT_HEAD = new Next(Kind.AT_HEAD, Duration.ZERO);

		static Next backoff(Duration delay) {
			return new Next(Kind.BACKOFF, delay);
		}

		enum Kind {

			/** Read on at once. */
			CONTINUE,

			/** Wait for a notification or the poll interval. */
			IDLE,

			/**
			 * Everything readable is done: announce catching up the first time, then wait
			 * as {@link #IDLE}.
			 */
			AT_HEAD,

			/** Wait for the delay, whatever the notifications. */
			BACKOFF

		}

	}

	/**
	 * Carries a database failure of the worker's own statements out of a transaction
	 * callback.
	 */
	static final class SubscriptionDatabaseException extends RuntimeException {

		SubscriptionDatabaseException(SQLException cause) {
			super(cause);
		}

		@Override
		public synchronized SQLException getCause() {
			return (SQLException) super.getCause();
		}

	}

}
