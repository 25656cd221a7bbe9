package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import io.eventy.handler.HandlerDispatcher;
import io.eventy.handler.HandlerEndpoint;
import io.eventy.handler.HandlerObserver;
import io.eventy.handler.SubscriptionOptions;
import io.eventy.store.postgres.SubscriptionCheckpoints.Owner;
import io.eventy.store.postgres.SubscriptionRecordReader.Batch;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one segment of a subscription that this instance owns, on its own thread, one step
 * after another: each step starts from the segment's checkpoint (as the last move left
 * it, else read from its row) and handles either a re-driven dead letter
 * ({@link DeadLetterRedrive}, first segment only) or the next batch after the checkpoint
 * (the {@link BatchDelivery} of the handler's guarantee). After a full batch the next
 * ones are read ahead ({@link BatchPrefetch}) while it is handled. Between steps it waits
 * for a notification or the poll interval when there is nothing to read, or for a backoff
 * after a failed call. It stops when asked, or when another instance took the segment
 * over.
 * <p>
 * Handler failures count as attempts; database failures of the worker itself do not: the
 * batch is read again after a growing delay. A segment that keeps failing for longer than
 * the stall timeout is reported once as an error and {@link #stall() stalled} until it
 * moves again; so is one whose database call has not returned for that long
 * ({@link DatabaseCallWatch}).
 */
final class SubscriptionWorker implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(SubscriptionWorker.class);

	/** How long a running worker goes without looking at its pause in the table. */
	private static final long PAUSE_LOOK_INTERVAL = TimeUnit.SECONDS.toNanos(1);

	private final HandlerEndpoint endpoint;

	private final String name;

	private final Segment segment;

	private final DataSource dataSource;

	private final SubscriptionCheckpoint checkpoint;

	private final SubscriptionCheckpoints checkpoints;

	private final Owner owner;

	private final SubscriptionRecordReader reader;

	private final SubscriptionOptions options;

	private final Duration stallTimeout;

	private final BatchDelivery delivery;

	private final @Nullable DeadLetterRedrive redrive;

	private final DeadLettering deadLettering;

	private final Runnable atHead;

	private final BatchPrefetch prefetch;

	private final WakeSignal signal = new WakeSignal();

	private final SubscriptionPauses pauses;

	private final SubscriptionActivity.Tracker activity;

	private final RecordHead head;

	private final Runnable ended;

	/** Whether the subscription is paused, as this worker last saw or was told. */
	private volatile boolean paused;

	/**
	 * When this worker last looked at its pause in the table, {@code 0} before it did.
	 */
	private long pauseLookedAt;

	/** Whether the worker waited since it last looked at its pause in the table. */
	private boolean waited;

	private final FailureBackoff databaseFailures = new FailureBackoff(Duration.ofMillis(100), 6);

	private volatile boolean release;

	private boolean holding;

	private @Nullable Instant failingSince;

	private volatile @Nullable SubscriptionStall stall;

	private final DatabaseCallWatch databaseCalls;

	SubscriptionWorker(HandlerEndpoint endpoint, Owner owner, DataSource dataSource,
			SubscriptionCheckpoints checkpoints, SubscriptionRecordReader reader, DeadLetterTable deadLetters,
			SubscriptionOptions options, Duration stallTimeout, TransactionTemplate transactions, Runnable atHead,
			HandlerObserver observer, Controls controls) {
		this.endpoint = endpoint;
		this.name = endpoint.subscription();
		this.owner = owner;
		this.segment = owner.segment();
		this.dataSource = dataSource;
		this.checkpoints = checkpoints;
		this.checkpoint = new SubscriptionCheckpoint(checkpoints, owner, dataSource);
		this.reader = reader;
		this.options = options;
		this.stallTimeout = stallTimeout;
		this.atHead = atHead;
		this.pauses = controls.pauses();
		this.activity = controls.activity();
		this.head = controls.head();
		this.ended = controls.ended();
		this.databaseCalls = new DatabaseCallWatch(this.name, this.segment, stallTimeout);
		this.prefetch = new BatchPrefetch(dataSource, reader, options.batchSize(), endpoint.recordNames(), this.segment,
				"eventy-prefetch-" + this.name + (this.segment.whole() ? "" : "-" + this.segment.index()));
		HandlerDispatcher dispatcher = new HandlerDispatcher(endpoint, observer);
		HandlerCalls calls = new HandlerCalls(dispatcher, new SubscriptionTransactions(dataSource, transactions),
				this.activity, this.databaseCalls, this::stopping);
		SubscriptionRetries retries = new SubscriptionRetries(dispatcher, options.retry(), this.checkpoint);
		this.deadLettering = new DeadLettering(dispatcher, deadLetters, dataSource);
		BooleanSupplier running = this::running;
		this.delivery = switch (endpoint.guarantee()) {
			case AT_LEAST_ONCE -> new AtLeastOnceDelivery(this.checkpoint, calls, retries, this.deadLettering, running);
			case AT_MOST_ONCE -> new AtMostOnceDelivery(this.checkpoint, calls, this.deadLettering, running);
			case EXACTLY_ONCE -> new ExactlyOnceDelivery(this.checkpoint, calls, retries, this.deadLettering, running);
		};
		this.redrive = (this.segment.index() == 0) ? new DeadLetterRedrive(endpoint.guarantee(), dataSource,
				deadLetters, this.name, calls, retries, this.deadLettering) : null;
	}

	String name() {
		return this.name;
	}

	Segment segment() {
		return this.segment;
	}

	/**
	 * Look for new records now, or as soon as the current batch is done.
	 */
	void wake() {
		this.signal.signal();
	}

	/**
	 * Hold after the record being handled, because the subscription was paused: the rest
	 * of the batch is left for when it is resumed.
	 */
	void pause() {
		this.paused = true;
	}

	/**
	 * Stop after the record being handled; the rest of the batch is left for later.
	 */
	void stop() {
		this.signal.stop();
	}

	/**
	 * Stop after the record being handled, and give the segment up so that another
	 * instance can claim it.
	 */
	void release() {
		this.release = true;
		this.signal.stop();
	}

	/**
	 * Return whether this segment is stalled.
	 * @return the stall, or {@code null} while it moves
	 */
	@Nullable SubscriptionStall stall() {
		SubscriptionStall stall = this.stall;
		return (stall != null) ? stall : this.databaseCalls.stall();
	}

	/**
	 * Return whether this worker was asked to stop.
	 * @return whether it stops or stopped
	 */
	boolean stopping() {
		return this.signal.isStopped();
	}

	private boolean running() {
		return !this.paused && !this.signal.isStopped();
	}

	@Override
	public void run() {
		try {
			work();
		}
		finally {
			this.ended.run();
		}
	}

	private void work() {
		logger.debug("Subscription '{}' segment {} started", this.name, this.segment);
		while (!this.signal.isStopped()) {
			try {
				this.databaseCalls.start();
				if (held()) {
					this.databaseCalls.returned();
					moved();
					this.waited = true;
					this.signal.await(this.options.pollInterval());
					continue;
				}
				NextStep next = step();
				this.databaseCalls.returned();
				moved();
				if (next.kind() == NextStep.Kind.LOST) {
					break;
				}
				if (next.kind() == NextStep.Kind.AT_HEAD) {
					this.atHead.run();
				}
				if (next.idle()) {
					if (this.redrive != null) {
						this.redrive.checkNextStep();
					}
					this.waited = true;
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
				waitAfterDatabaseFailure(ex, this.databaseCalls.stop());
			}
		}
		this.databaseCalls.stop();
		this.prefetch.close();
		this.deadLettering.writeKeptOnStop();
		keepDeferredMove();
		if (this.release) {
			giveUp();
		}
		logger.debug("Subscription '{}' segment {} stopped", this.name, this.segment);
	}

	/**
	 * What a worker needs to be operated: the pauses it obeys, where it notes what it
	 * does, and whom it tells when it ends.
	 *
	 * @param pauses the pause of each subscription
	 * @param activity the activity of the worker's subscription on this instance
	 * @param head reads the newest position, for the catch-up progress
	 * @param ended called when the worker's thread ends
	 */
	record Controls(SubscriptionPauses pauses, SubscriptionActivity.Tracker activity, RecordHead head, Runnable ended) {
	}

	/**
	 * Look whether the subscription is paused: in the table before the first step, after
	 * being told of a pause, after each wait (idle at the head, or holding), and at least
	 * every second while it works off a backlog. A worker that finds it paused leaves its
	 * checkpoint where the records it handled took it, and holds no transaction nor
	 * connection while it waits.
	 * @return whether to hold
	 * @throws SQLException if the database fails
	 */
	private boolean held() throws SQLException {
		long now = System.nanoTime();
		if (!this.paused && !this.holding && !this.waited && this.pauseLookedAt != 0
				&& now - this.pauseLookedAt < PAUSE_LOOK_INTERVAL) {
			// working off a backlog, batch after batch: a pause reaches the worker
			// through
			// pause(), from this instance at once and from others with the heartbeat, and
			// the table is looked at every second, not before each batch
			return false;
		}
		this.waited = false;
		boolean paused;
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			paused = this.pauses.paused(connection, this.name);
		}
		this.pauseLookedAt = (now != 0) ? now : 1;
		if (paused) {
			this.checkpoint.flush();
			if (!this.holding) {
				this.holding = true;
				logger.info("Subscription '{}' segment {} is paused", this.name, this.segment);
			}
		}
		else if (this.holding) {
			this.holding = false;
			logger.info("Subscription '{}' segment {} resumes", this.name, this.segment);
		}
		this.paused = paused;
		return paused;
	}

	private void keepDeferredMove() {
		try {
			this.checkpoint.flush();
		}
		catch (SQLException ex) {
			logger.debug("Subscription '{}' segment {} could not move its checkpoint on stopping; the records since "
					+ "are handled again", this.name, this.segment, ex);
		}
	}

	private void giveUp() {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			this.checkpoints.release(connection, this.owner);
			logger.info("Subscription '{}' segment {} handed over to another instance", this.name, this.segment);
		}
		catch (SQLException ex) {
			logger.warn("Subscription '{}' could not give up segment {}; another instance takes it over when "
					+ "this one's lease runs out", this.name, this.segment, ex);
		}
	}

	private void moved() {
		if (this.databaseFailures.succeeded()) {
			SubscriptionStall stall = this.stall;
			if (stall != null) {
				this.stall = null;
				logger.info("Subscription '{}' segment {} moves again after {} stalled", this.name, this.segment,
						Duration.between(stall.since(), Instant.now()));
			}
			else {
				logger.info("Subscription '{}' reaches the database again", this.name);
			}
		}
		this.failingSince = null;
	}

	/**
	 * Wait after a database failure, and report the segment stalled once it has failed
	 * for longer than the stall timeout.
	 * @param ex the failure
	 * @param stalled how long the failed call had run when it was reported stalled, or
	 * {@code null}: the segment stays stalled, since that call began
	 */
	private void waitAfterDatabaseFailure(Throwable ex, @Nullable Duration stalled) {
		Duration delay = this.databaseFailures.failed();
		Instant now = Instant.now();
		Instant since = this.failingSince;
		if (since == null) {
			since = (stalled != null) ? now.minus(stalled) : now;
			this.failingSince = since;
		}
		if (stalled != null && this.stall == null) {
			this.stall = new SubscriptionStall(this.name, this.segment.index(), since, HandlerDispatcher.describe(ex));
		}
		if (this.databaseFailures.firstFailure()) {
			logger.warn("Subscription '{}' could not read or move its checkpoint; the batch is read again in {}",
					this.name, delay, ex);
		}
		else if (this.stall == null && Duration.between(since, now).compareTo(this.stallTimeout) >= 0) {
			this.stall = new SubscriptionStall(this.name, this.segment.index(), since, HandlerDispatcher.describe(ex));
			logger.error(
					"Subscription '{}' segment {} is stalled: it has not moved for {} because it cannot read "
							+ "records or move its checkpoint; it keeps trying",
					this.name, this.segment, Duration.between(since, now), ex);
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

	private long lastPosition() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			return this.head.lastPosition(connection);
		}
	}

	/**
	 * Do one unit of work, a re-driven dead letter or a batch.
	 * @return what to do next
	 * @throws SQLException if the database fails
	 */
	NextStep step() throws SQLException, InterruptedException {
		// dead letters of records the checkpoint passed, refused by the database before
		this.deadLettering.writeKept();
		if (this.redrive != null && this.redrive.due()) {
			Checkpoint owned = null;
			try (Connection connection = this.dataSource.getConnection()) {
				connection.setAutoCommit(true);
				owned = this.checkpoint.read(connection);
			}
			if (owned == null) {
				return this.checkpoint.lost();
			}
			NextStep redriven = this.redrive.handleDue();
			if (redriven != null) {
				return redriven;
			}
		}
		Checkpoint start = this.checkpoint.takeMoved();
		Batch batch = null;
		if (start != null) {
			batch = this.prefetch.take(start.key());
		}
		if (batch == null) {
			try (Connection connection = this.dataSource.getConnection()) {
				connection.setAutoCommit(true);
				if (start == null) {
					start = this.checkpoint.read(connection);
					if (start == null) {
						return this.checkpoint.lost();
					}
				}
				batch = this.reader.read(connection, start.key(), this.options.batchSize(), this.endpoint.recordNames(),
						this.segment);
			}
		}
		if (batch.full()) {
			// catching up: read the next batch while this one is handled
			this.prefetch.start(batch);
			this.activity.fullBatch();
		}
		NextStep next = this.delivery.deliver(start, batch);
		if (batch.full() && next.kind() == NextStep.Kind.CONTINUE) {
			this.activity.progressed(this.segment, batch.seen().position(), this.options.batchSize(),
					this::lastPosition);
		}
		return next;
	}

}
