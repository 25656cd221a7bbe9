package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.eventy.handler.StartPosition;
import org.jspecify.annotations.Nullable;

/**
 * The {@code <prefix>subscriptions} table: one row per subscription with its checkpoint,
 * and the advisory lock that lets one instance at a time work on a subscription.
 * <p>
 * The lock is a transaction-level advisory lock, not a row lock: {@code FOR UPDATE} would
 * give the locking transaction an id, and an open transaction with an id holds back
 * {@code pg_snapshot_xmin} and with it every subscription's reading. An advisory lock
 * takes no transaction id, and PostgreSQL releases it when the transaction ends or its
 * connection dies, which is how another instance takes over.
 * <p>
 * Every change to a checkpoint compares the expected one first, so a stale worker can
 * never move a checkpoint another worker has moved.
 */
final class SubscriptionCheckpoints {

	private final String table;

	private final String lockPrefix;

	private final String insert;

	private final String select;

	private final String selectAll;

	private final String advance;

	private final String fail;

	private final RecordHead head;

	SubscriptionCheckpoints(PostgresStoreSettings settings) {
		this.table = settings.table("subscriptions");
		this.lockPrefix = "eventy:" + this.table + ":";
		this.insert = "INSERT INTO " + this.table + " (name, checkpoint_xid, checkpoint_position) "
				+ "VALUES (?, ?::xid8, ?) ON CONFLICT (name) DO NOTHING";
		String columns = "SELECT name, checkpoint_xid::text, checkpoint_position, failed_attempts, last_error FROM "
				+ this.table;
		this.select = columns + " WHERE name = ?";
		this.selectAll = columns + " ORDER BY name";
		String expected = " WHERE name = ? AND checkpoint_xid = ?::xid8 AND checkpoint_position = ?";
		this.advance = "UPDATE " + this.table + " SET checkpoint_xid = ?::xid8, checkpoint_position = ?, "
				+ "failed_attempts = 0, last_error = NULL, updated_at = now()" + expected;
		this.fail = "UPDATE " + this.table + " SET failed_attempts = ?, last_error = ?, updated_at = now()" + expected;
		this.head = new RecordHead(settings);
	}

	/**
	 * Create a subscription's row unless it exists.
	 * @param connection the connection
	 * @param subscription the subscription name
	 * @param start where a new subscription starts
	 * @return whether the row was created
	 * @throws SQLException if the database fails
	 */
	boolean create(Connection connection, String subscription, StartPosition start) throws SQLException {
		RecordKey key = (start == StartPosition.LATEST) ? this.head.belowCurrentHorizon(connection) : RecordKey.START;
		try (PreparedStatement statement = connection.prepareStatement(this.insert)) {
			statement.setString(1, subscription);
			key.bind(statement, 2);
			return statement.executeUpdate() == 1;
		}
	}

	/**
	 * Try to take the subscription's lock until the connection's transaction ends.
	 * @param connection a connection in a transaction
	 * @param subscription the subscription name
	 * @return whether this transaction holds the lock
	 * @throws SQLException if the database fails
	 */
	boolean tryLock(Connection connection, String subscription) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))")) {
			statement.setString(1, this.lockPrefix + subscription);
			try (ResultSet result = statement.executeQuery()) {
				return result.next() && result.getBoolean(1);
			}
		}
	}

	/**
	 * Read a subscription's row.
	 * @param connection the connection
	 * @param subscription the subscription name
	 * @return the checkpoint, or {@code null} when the row does not exist
	 * @throws SQLException if the database fails
	 */
	@Nullable Checkpoint read(Connection connection, String subscription) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.select)) {
			statement.setString(1, subscription);
			try (ResultSet result = statement.executeQuery()) {
				return result.next() ? checkpoint(result) : null;
			}
		}
	}

	/**
	 * Read every subscription's row.
	 * @param connection the connection
	 * @return the checkpoints by name
	 * @throws SQLException if the database fails
	 */
	List<Checkpoint> readAll(Connection connection) throws SQLException {
		List<Checkpoint> checkpoints = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(this.selectAll);
				ResultSet result = statement.executeQuery()) {
			while (result.next()) {
				checkpoints.add(checkpoint(result));
			}
		}
		return checkpoints;
	}

	/**
	 * Move a checkpoint, if it still is where the caller saw it, and forget failures.
	 * @param connection the connection
	 * @param subscription the subscription name
	 * @param expected where the caller saw the checkpoint
	 * @param next the new checkpoint
	 * @return whether it moved; {@code false} when another worker moved it first
	 * @throws SQLException if the database fails
	 */
	boolean advance(Connection connection, String subscription, RecordKey expected, RecordKey next)
			throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.advance)) {
			next.bind(statement, 1);
			statement.setString(3, subscription);
			expected.bind(statement, 4);
			return statement.executeUpdate() == 1;
		}
	}

	/**
	 * Remember a failed call of the record after the checkpoint.
	 * @param connection the connection
	 * @param subscription the subscription name
	 * @param expected where the caller saw the checkpoint
	 * @param attempts how many calls of that record failed so far
	 * @param error the failure
	 * @return whether it was remembered; {@code false} when the checkpoint moved
	 * @throws SQLException if the database fails
	 */
	boolean recordFailure(Connection connection, String subscription, RecordKey expected, int attempts, String error)
			throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.fail)) {
			statement.setInt(1, attempts);
			statement.setString(2, error);
			statement.setString(3, subscription);
			expected.bind(statement, 4);
			return statement.executeUpdate() == 1;
		}
	}

	private static Checkpoint checkpoint(ResultSet result) throws SQLException {
		return new Checkpoint(result.getString(1), RecordKey.of(result.getString(2), result.getLong(3)),
				result.getInt(4), result.getString(5));
	}

}
