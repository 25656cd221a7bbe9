package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.eventy.handler.HandlerEndpoint;
import io.eventy.handler.HandlerObserver;
import io.eventy.handler.SubscriptionOptions;
import io.eventy.store.postgres.SubscriptionRecordReader.Batch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one subscription on its own thread, one step after another: each step opens a
 * transaction, takes the subscription's advisory lock, and handles either a re-driven
 * dead letter ({@link DeadLetterRedrive}) or the next batch after the checkpoint (the
 * {@link BatchDelivery} of the handler's guarantee). Between steps it waits for a
 * notification or the poll interval when there is nothing to read, or for a backoff after
 * a failed call. A record is only ever handled while this worker holds the lock, and
 * every checkpoint move compares the expected checkpoint, so two instances never handle
 * the same record.
 * <p>
 * Handler failures count as attempts; database failures of the worker itself do not: the
 * step is rolled back without moving the checkpoint and the batch is read again after a
 * growing delay.
 */
final class SubscriptionWorker implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(SubscriptionWorker.class);

	private final HandlerEndpoint endpoint;

	private final String name;

	private final DataSource dataSource;

	private final SubscriptionCheckpoint checkpoint;

	private final SubscriptionRecordReader reader;

	private final SubscriptionOptions options;

	private final BatchDelivery delivery;

	private final DeadLetterRedrive redrive;

	private final Consumer<String> caughtUp;

	private final WakeSignal signal = new WakeSignal();

	private final FailureBackoff databaseFailures = new FailureBackoff(Duration.ofMillis(100), 6);

	private boolean caughtUpPublished;

	SubscriptionWorker(HandlerEndpoint endpoint, DataSource dataSource, SubscriptionCheckpoints checkpoints,
			SubscriptionRecordReader reader, DeadLetterTable deadLetters, SubscriptionOptions options,
			TransactionTemplate transactions, Consumer<String> caughtUp, HandlerObserver observer) {
		this.endpoint = endpoint;
		this.name = endpoint.subscription();
		this.dataSource = dataSource;
		this.checkpoint = new SubscriptionCheckpoint(checkpoints, this.name);
		this.reader = reader;
		this.options = options;
		this.caughtUp = caughtUp;
		SubscriptionTransactions claimed = new SubscriptionTransactions(dataSource, transactions, this.checkpoint);
		HandlerCalls calls = new HandlerCalls(endpoint, claimed, observer);
		SubscriptionRetries retries = new SubscriptionRetries(endpoint, options.retry(), this.checkpoint, observer);
		DeadLettering deadLettering = new DeadLettering(this.name, deadLetters, observer);
		BooleanSupplier running = this::running;
		this.delivery = switch (endpoint.guarantee()) {
			case AT_LEAST_ONCE -> new AtLeastOnceDelivery(this.checkpoint, calls, retries, deadLettering, running);
			case AT_MOST_ONCE -> new AtMostOnceDelivery(dataSource, this.checkpoint, calls, deadLettering, running);
			case EXACTLY_ONCE ->
				new ExactlyOnceDelivery(this.checkpoint, calls, claimed, retries, deadLettering, running);
		};
		this.redrive = new DeadLetterRedrive(endpoint.guarantee(), dataSource, deadLetters, this.name, calls, retries,
				deadLettering);
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
				NextStep next = step();
				if (this.databaseFailures.succeeded()) {
					logger.info("Subscription '{}' reaches the database again", this.name);
				}
				if (next.kind() == NextStep.Kind.AT_HEAD) {
					announceCaughtUp();
				}
				if (next.idle()) {
					this.redrive.checkNextStep();
					this.signal.await(this.options.pollInterval());
				}
				else if (next.kind() == NextStep.Kind.BACKOFF) {
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

	private void waitAfterDatabaseFailure(Throwable ex) {
		Duration delay = this.databaseFailures.failed();
		if (this.databaseFailures.firstFailure()) {
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
	 * Do one unit of work, a re-driven dead letter or a batch, in a transaction that
	 * holds the subscription's lock.
	 * @return what to do next
	 * @throws SQLException if the database fails
	 */
	NextStep step() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try {
				NextStep next = step(connection);
				connection.commit();
				return next;
			}
			catch (SQLException | RuntimeException | Error ex) {
				rollbackQuietly(connection);
				throw ex;
			}
		}
	}

	private NextStep step(Connection lock) throws SQLException {
		if (!this.checkpoint.tryLock(lock)) {
			// another instance works on this subscription; look again when woken
			return NextStep.IDLE;
		}
		Checkpoint start = this.checkpoint.read(lock);
		if (start == null) {
			this.checkpoint.create(lock, this.options.startPosition());
			return NextStep.CONTINUE;
		}
		NextStep redriven = this.redrive.handleDue(lock);
		if (redriven != null) {
			return redriven;
		}
		Batch batch = this.reader.read(lock, start.key(), this.options.batchSize(), this.endpoint.recordType());
		return this.delivery.deliver(lock, start, batch);
	}

	private static void rollbackQuietly(Connection connection) {
		try {
			connection.rollback();
		}
		catch (SQLException ex) {
			logger.debug("Rollback failed", ex);
		}
	}

}
