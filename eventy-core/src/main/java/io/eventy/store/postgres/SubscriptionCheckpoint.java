package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;

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
 */
final class SubscriptionCheckpoint {

	private static final Logger logger = LoggerFactory.getLogger(SubscriptionCheckpoint.class);

	private final SubscriptionCheckpoints checkpoints;

	private final Owner owner;

	private final DataSource dataSource;

	SubscriptionCheckpoint(SubscriptionCheckpoints checkpoints, Owner owner, DataSource dataSource) {
		this.checkpoints = checkpoints;
		this.owner = owner;
		this.dataSource = dataSource;
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
			return next;
		}
		return autoCommit((connection) -> advance(connection, expected, target)) ? next : lost();
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
		logger.info("Subscription '{}' segment {} was taken over by another instance", subscription(), segment());
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
