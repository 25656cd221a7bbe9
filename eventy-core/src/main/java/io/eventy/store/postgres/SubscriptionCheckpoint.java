package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;

import io.eventy.handler.StartPosition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription's row of {@link SubscriptionCheckpoints}, as its worker sees it: the
 * lock, the checkpoint, and the failed calls of the record after it. Every move compares
 * the checkpoint the worker expects; a move that finds it elsewhere means another
 * instance moved on, and the worker leaves the batch to it.
 */
final class SubscriptionCheckpoint {

	private static final Logger logger = LoggerFactory.getLogger(SubscriptionCheckpoint.class);

	private final SubscriptionCheckpoints checkpoints;

	private final String subscription;

	SubscriptionCheckpoint(SubscriptionCheckpoints checkpoints, String subscription) {
		this.checkpoints = checkpoints;
		this.subscription = subscription;
	}

	String subscription() {
		return this.subscription;
	}

	/**
	 * Try to take the subscription's lock until the connection's transaction ends.
	 * @param connection a connection in a transaction
	 * @return whether this transaction holds the lock
	 * @throws SQLException if the database fails
	 */
	boolean tryLock(Connection connection) throws SQLException {
		return this.checkpoints.tryLock(connection, this.subscription);
	}

	/**
	 * Read the subscription's row.
	 * @param connection the connection
	 * @return the checkpoint, or {@code null} when the row does not exist
	 * @throws SQLException if the database fails
	 */
	@Nullable Checkpoint read(Connection connection) throws SQLException {
		return this.checkpoints.read(connection, this.subscription);
	}

	/**
	 * Create the subscription's row unless it exists.
	 * @param connection the connection
	 * @param start where a new subscription starts
	 * @throws SQLException if the database fails
	 */
	void create(Connection connection, StartPosition start) throws SQLException {
		this.checkpoints.create(connection, this.subscription, start);
	}

	/**
	 * Move the checkpoint, if it still is where the worker saw it, and forget failures.
	 * @param connection the connection
	 * @param expected where the worker saw the checkpoint
	 * @param next the new checkpoint
	 * @return whether it moved; {@code false} when another worker moved it first
	 * @throws SQLException if the database fails
	 */
	boolean advance(Connection connection, RecordKey expected, RecordKey next) throws SQLException {
		return this.checkpoints.advance(connection, this.subscription, expected, next);
	}

	/**
	 * Move the checkpoint forward to a target, if it is ahead and the checkpoint still is
	 * where the worker saw it.
	 * @param connection the connection
	 * @param expected where the worker saw the checkpoint
	 * @param target the new checkpoint
	 * @param next what the worker does next when the checkpoint moved or stays
	 * @return {@code next}, or {@link #lost()} when another worker moved it first
	 * @throws SQLException if the database fails
	 */
	NextStep moveTo(Connection connection, RecordKey expected, RecordKey target, NextStep next) throws SQLException {
		if (target.compareTo(expected) > 0 && !advance(connection, expected, target)) {
			return lost();
		}
		return next;
	}

	/**
	 * Remember a failed call of the record after the checkpoint.
	 * @param connection the connection
	 * @param expected where the worker saw the checkpoint
	 * @param attempts how many calls of that record failed so far
	 * @param error the failure
	 * @return whether it was remembered; {@code false} when the checkpoint moved
	 * @throws SQLException if the database fails
	 */
	boolean recordFailure(Connection connection, RecordKey expected, int attempts, String error) throws SQLException {
		return this.checkpoints.recordFailure(connection, this.subscription, expected, attempts, error);
	}

	/**
	 * Give up the batch because another instance moved the checkpoint.
	 * @return {@link NextStep#IDLE}
	 */
	NextStep lost() {
		logger.debug("Subscription '{}' was moved on by another instance; this batch is left to it", this.subscription);
		return NextStep.IDLE;
	}

}
