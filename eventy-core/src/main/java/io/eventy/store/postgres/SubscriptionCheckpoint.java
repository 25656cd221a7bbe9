package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import io.eventy.store.postgres.SubscriptionCheckpoints.Owner;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment's row of {@link SubscriptionCheckpoints}, as its owner's worker sees it:
 * the checkpoint and the failed calls of the record after it. Every move names the owner
 * and compares the checkpoint the worker expects; a move that finds either changed means
 * another instance took the segment over, and the worker leaves it.
 * <p>
 * The statements that need no transaction of their own run on a connection of their own
 * in auto-commit mode, so that no transaction stays open while a handler runs.
 * <p>
 * A move at the end of a batch that succeeded tells the worker where the checkpoint is
 * for its next step ({@link #takeMoved()}): the move just compared owner and checkpoint
 * and cleared the failures, so the next step need not read the row again; the next move
 * compares both once more. Any other change of the row forgets it.
 * <p>
 * While an {@code AT_LEAST_ONCE} segment catches up, the moves after full batches may be
 * {@link #deferTo deferred}: the worker goes on from where the batch ended, and the row
 * follows every {@link #MOST_DEFERRED_BATCHES}+1 batches or {@link #MOST_DEFERRED_TIME},
 * whichever comes first, at the end of a batch that is not full (the head), and before
 * anything else reads or changes the row, or the worker stops. A crash in between hands
 * the records since the row's checkpoint to the handler again, as that guarantee allows.
 */
final class SubscriptionCheckpoint {

	private static final Logger logger = LoggerFactory.getLogger(SubscriptionCheckpoint.class);

	private final SubscriptionCheckpoints checkpoints;

	private final Owner owner;

	private final DataSource dataSource;

	/** How many moves in a row {@link #deferTo} defers at most. */
	static final int MOST_DEFERRED_BATCHES = 9;

	/** How long after the row last moved {@link #deferTo} defers no more. */
	static final Duration MOST_DEFERRED_TIME = Duration.ofSeconds(1);

	private final Duration mostDeferredTime;

	/** The checkpoint as the last {@link #moveTo} left it, until taken or changed. */
	private @Nullable Checkpoint moved;

	/** The checkpoint in the row while a deferred move waits, else {@code null}. */
	private @Nullable RecordKey stored;

	/** Where a deferred move takes the row. */
	private RecordKey deferred = RecordKey.START;

	private int deferredMoves;

	private long storedAt = System.nanoTime();

	SubscriptionCheckpoint(SubscriptionCheckpoints checkpoints, Owner owner, DataSource dataSource) {
		this(checkpoints, owner, dataSource, MOST_DEFERRED_TIME);
	}

	SubscriptionCheckpoint(SubscriptionCheckpoints checkpoints, Owner owner, DataSource dataSource,
			Duration mostDeferredTime) {
		this.checkpoints = checkpoints;
		this.owner = owner;
		this.dataSource = dataSource;
		this.mostDeferredTime = mostDeferredTime;
	}

	String subscription() {
		return this.owner.subscription();
	}

	Segment segment() {
		return this.owner.segment();
	}

	/**
	 * Read the segment's row.
	 * @param connection the connection
	 * @return the checkpoint, or {@code null} when this instance no longer owns the
	 * segment
	 * @throws SQLException if the database fails
	 */
	@Nullable Checkpoint read(Connection connection) throws SQLException {
		this.moved = null;
		if (!flush()) {
			return null;
		}
		Checkpoint checkpoint = this.checkpoints.read(connection, subscription(), segment().index());
		if (checkpoint == null || !this.owner.instance().equals(checkpoint.owner())
				|| checkpoint.segment().count() != segment().count()) {
			return null;
		}
		return checkpoint;
	}

	/**
	 * Move the checkpoint, if the segment is still this instance's and the checkpoint
	 * still is where the worker saw it, and forget failures.
	 * @param connection the connection
	 * @param expected where the worker saw the checkpoint
	 * @param next the new checkpoint
	 * @return whether it moved
	 * @throws SQLException if the database fails
	 */
	boolean advance(Connection connection, RecordKey expected, RecordKey next) throws SQLException {
		return this.checkpoints.advance(connection, this.owner, expected, next);
	}

	/**
	 * Move the checkpoint forward to a target, on a connection of its own, if it is ahead
	 * and the checkpoint still is where the worker saw it.
	 * @param expected where the worker saw the checkpoint
	 * @param target the new checkpoint
	 * @param next what the worker does next when the checkpoint moved or stays
	 * @return {@code next}, or {@link #lost()}
	 * @throws SQLException if the database fails
	 */
	NextStep moveTo(RecordKey expected, RecordKey target, NextStep next) throws SQLException {
		if (target.compareTo(expected) <= 0) {
			return flush() ? next : lost();
		}
		RecordKey from = (this.stored != null) ? this.stored : expected;
		this.stored = null;
		this.moved = null;
		if (!run((connection) -> advance(connection, from, target))) {
			return lost();
		}
		this.storedAt = System.nanoTime();
		this.deferredMoves = 0;
		this.moved = new Checkpoint(subscription(), segment(), target, 0, null, this.owner.instance(), true);
		return next;
	}

	/**
	 * Move the checkpoint forward to a target after a full batch of an
	 * {@code AT_LEAST_ONCE} segment, or only remember the move for later (see above).
	 * @param expected where the worker saw the checkpoint
	 * @param target the new checkpoint
	 * @param next what the worker does next when the checkpoint moved or stays
	 * @return {@code next}, or {@link #lost()}
	 * @throws SQLException if the database fails
	 */
	NextStep deferTo(RecordKey expected, RecordKey target, NextStep next) throws SQLException {
		if (target.compareTo(expected) <= 0 || this.deferredMoves >= MOST_DEFERRED_BATCHES
				|| System.nanoTime() - this.storedAt >= this.mostDeferredTime.toNanos()) {
			return moveTo(expected, target, next);
		}
		if (this.stored == null) {
			this.stored = expected;
		}
		this.deferred = target;
		this.deferredMoves++;
		this.moved = new Checkpoint(subscription(), segment(), target, 0, null, this.owner.instance(), true);
		return next;
	}

	/**
	 * Make a deferred move now, if one waits.
	 * @return whether the row is where the worker is; {@code false} when another instance
	 * took the segment over
	 * @throws SQLException if the database fails; the deferred move is forgotten, and the
	 * worker reads the row again
	 */
	boolean flush() throws SQLException {
		RecordKey from = this.stored;
		if (from == null) {
			return true;
		}
		this.stored = null;
		this.moved = null;
		RecordKey to = this.deferred;
		if (!run((connection) -> advance(connection, from, to))) {
			return false;
		}
		this.storedAt = System.nanoTime();
		this.deferredMoves = 0;
		return true;
	}

	/**
	 * Return the checkpoint as the last {@link #moveTo} left it, and forget it.
	 * @return the checkpoint, or {@code null} when the worker must read it: nothing moved
	 * it since the last read, or something else changed the row after
	 */
	@Nullable Checkpoint takeMoved() {
		Checkpoint moved = this.moved;
		this.moved = null;
		return moved;
	}

	/**
	 * Remember a failed call of the record after the checkpoint, on a connection of its
	 * own.
	 * @param expected where the worker saw the checkpoint
	 * @param attempts how many calls of that record failed so far
	 * @param error the failure
	 * @return whether it was remembered
	 * @throws SQLException if the database fails
	 */
	boolean recordFailure(RecordKey expected, int attempts, String error) throws SQLException {
		return autoCommit(
				(connection) -> this.checkpoints.recordFailure(connection, this.owner, expected, attempts, error));
	}

	/**
	 * Run statements on a connection of their own in auto-commit mode.
	 * @param statements the statements
	 * @return what they return
	 * @throws SQLException if the database fails
	 */
	boolean autoCommit(Statements statements) throws SQLException {
		this.moved = null;
		return flush() && run(statements);
	}

	private boolean run(Statements statements) throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			return statements.run(connection);
		}
	}

	/**
	 * Run statements in a short transaction on a connection of their own; it commits when
	 * they return {@code true} and rolls back otherwise.
	 * @param statements the statements
	 * @return what they return
	 * @throws SQLException if the database fails
	 */
	boolean inTransaction(Statements statements) throws SQLException {
		this.moved = null;
		if (!flush()) {
			return false;
		}
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try {
				boolean done = statements.run(connection);
				if (done) {
					connection.commit();
				}
				else {
					connection.rollback();
				}
				return done;
			}
			catch (SQLException | RuntimeException | Error ex) {
				try {
					connection.rollback();
				}
				catch (SQLException rollback) {
					ex.addSuppressed(rollback);
				}
				throw ex;
			}
			finally {
				connection.setAutoCommit(true);
			}
		}
	}

	/**
	 * Leave the segment because another instance took it over.
	 * @return {@link NextStep#LOST}
	 */
	NextStep lost() {
		logger.info("Subscription '{}' segment {} was taken over by another instance or reset", subscription(),
				segment());
		return NextStep.LOST;
	}

	/**
	 * Statements on a connection.
	 */
	@FunctionalInterface
	interface Statements {

		/**
		 * Run them.
		 * @param connection the connection
		 * @return whether they did what they meant to
		 * @throws SQLException if the database fails
		 */
		boolean run(Connection connection) throws SQLException;

	}

}
