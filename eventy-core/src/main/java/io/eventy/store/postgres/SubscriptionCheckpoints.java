package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.eventy.handler.StartPosition;
import org.jspecify.annotations.Nullable;

/**
 * The {@code <prefix>subscriptions} table: one row per segment of a subscription, with
 * its checkpoint and its owner.
 * <p>
 * An instance owns a segment while its lease ({@code owned_until}, by the database's
 * clock) lies ahead, and extends the lease from a heartbeat; an instance that dies stops
 * extending it, and another one claims the segment when it runs out. Owning is not a lock
 * held by an open transaction: handlers that need no transaction run with none open.
 * <p>
 * Every change to a checkpoint compares the owner and the expected checkpoint first, so a
 * stale worker can never move a checkpoint another worker has moved.
 */
final class SubscriptionCheckpoints {

	private static final String COLUMNS = "SELECT name, segment, segments, checkpoint_xid::text, checkpoint_position, "
			+ "failed_attempts, last_error, owner, coalesce(owned_until > clock_timestamp(), false) FROM ";

	private static final String LEASE = "clock_timestamp() + ? * interval '1 millisecond'";

	private final String table;

	private final String lockPrefix;

	private final String insert;

	private final String select;

	private final String selectSegments;

	private final String selectAll;

	private final String delete;

	private final String advance;

	private final String fail;

	private final String claim;

	private final String release;

	private final String releaseAll;

	private final String renew;

	private final String lockSegments;

	private final String reset;

	private final String names;

	private final RecordHead head;

	SubscriptionCheckpoints(PostgresStoreSettings settings) {
		this.table = settings.table("subscriptions");
		this.lockPrefix = "eventy:" + this.table + ":";
		this.insert = "INSERT INTO " + this.table + " (name, segment, segments, checkpoint_xid, checkpoint_position) "
				+ "SELECT ?, s, ?, ?::xid8, ? FROM generate_series(0, ? - 1) s ON CONFLICT (name, segment) DO NOTHING";
		this.select = COLUMNS + this.table + " WHERE name = ? AND segment = ?";
		this.selectSegments = COLUMNS + this.table + " WHERE name = ? ORDER BY segment";
		this.selectAll = COLUMNS + this.table + " ORDER BY name, segment";
		this.delete = "DELETE FROM " + this.table + " WHERE name = ?";
		String expected = " WHERE name = ? AND segment = ? AND owner = ? AND checkpoint_xid = ?::xid8 "
				+ "AND checkpoint_position = ?";
		this.advance = "UPDATE " + this.table + " SET checkpoint_xid = ?::xid8, checkpoint_position = ?, "
				+ "failed_attempts = 0, last_error = NULL, updated_at = clock_timestamp()" + expected;
		this.fail = "UPDATE " + this.table + " SET failed_attempts = ?, last_error = ?, updated_at = clock_timestamp()"
				+ expected;
		// SKIP LOCKED: a row another instance is claiming at the same moment is left to
		// it
		this.claim = "UPDATE " + this.table + " SET owner = ?, owned_until = " + LEASE
				+ " WHERE name = ? AND segment IN (SELECT segment FROM " + this.table
				+ " WHERE name = ? AND (owner IS NULL OR owned_until IS NULL OR owned_until < clock_timestamp()) "
				+ "ORDER BY segment LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING segment";
		this.release = "UPDATE " + this.table + " SET owner = NULL, owned_until = NULL "
				+ "WHERE name = ? AND segment = ? AND owner = ?";
		this.releaseAll = "UPDATE " + this.table + " SET owner = NULL, owned_until = NULL WHERE owner = ?";
		// SKIP LOCKED: a row the owner's own worker is moving is renewed by the next beat
		this.renew = "UPDATE " + this.table + " SET owned_until = " + LEASE + " WHERE (name, segment) IN "
				+ "(SELECT name, segment FROM " + this.table + " WHERE owner = ? FOR UPDATE SKIP LOCKED)";
		this.lockSegments = this.selectSegments + " FOR UPDATE";
		this.reset = "UPDATE " + this.table + " SET checkpoint_xid = ?::xid8, checkpoint_position = ?, "
				+ "failed_attempts = 0, last_error = NULL, owner = NULL, owned_until = NULL, "
				+ "updated_at = clock_timestamp() WHERE name = ?";
		this.names = "SELECT DISTINCT name FROM " + this.table;
		this.head = new RecordHead(settings);
	}

	/**
	 * Make sure a subscription has its rows, in one short transaction that serialises
	 * this with other instances doing the same: create them when there are none, and
	 * change the number of segments when that is safe, that is when no other instance
	 * owns one and every segment's checkpoint is the same (always true of one segment).
	 * @param connection a connection not in a transaction
	 * @param subscription the subscription name
	 * @param segments how many segments the subscription should have
	 * @param start where a new subscription starts
	 * @param instance the instance asking
	 * @return what was done, and how many segments the subscription has
	 * @throws SQLException if the database fails
	 */
	Layout ensure(Connection connection, String subscription, int segments, StartPosition start, String instance)
			throws SQLException {
		connection.setAutoCommit(false);
		try {
			lock(connection, subscription);
			List<Checkpoint> rows = segments(connection, subscription);
			Layout layout;
			if (rows.isEmpty()) {
				RecordKey key = (start == StartPosition.LATEST) ? this.head.belowCurrentHorizon(connection)
						: RecordKey.START;
				insert(connection, subscription, segments, key);
				layout = new Layout(segments, Layout.Change.CREATED, 0, null);
			}
			else {
				layout = change(connection, subscription, segments, rows, instance);
			}
			connection.commit();
			return layout;
		}
		catch (SQLException | RuntimeException ex) {
			connection.rollback();
			throw ex;
		}
		finally {
			connection.setAutoCommit(true);
		}
	}

	private Layout change(Connection connection, String subscription, int segments, List<Checkpoint> rows,
			String instance) throws SQLException {
		int stored = rows.get(0).segment().count();
		if (stored == segments && rows.size() == segments) {
			return new Layout(segments, Layout.Change.NONE, stored, null);
		}
		RecordKey key = rows.get(0).key();
		for (Checkpoint row : rows) {
			if (!row.claimableBy(instance)) {
				return new Layout(stored, Layout.Change.POSTPONED, stored,
						"instance " + row.owner() + " owns segment " + row.segment());
			}
			if (!row.key().equals(key)) {
				return new Layout(stored, Layout.Change.POSTPONED, stored, "its segments' checkpoints differ ("
						+ rows.get(0).segment() + " at " + key + ", " + row.segment() + " at " + row.key() + ")");
			}
		}
		try (PreparedStatement statement = connection.prepareStatement(this.delete)) {
			statement.setString(1, subscription);
			statement.executeUpdate();
		}
		insert(connection, subscription, segments, key);
		return new Layout(segments, Layout.Change.CHANGED, stored, null);
	}

	private void insert(Connection connection, String subscription, int segments, RecordKey key) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.insert)) {
			statement.setString(1, subscription);
			statement.setInt(2, segments);
			key.bind(statement, 3);
			statement.setInt(5, segments);
			statement.executeUpdate();
		}
	}

	/**
	 * Move every segment's checkpoint of a subscription to one key, in the caller's
	 * transaction: serialised with {@link #ensure} by the subscription's advisory lock,
	 * it takes the rows {@code FOR UPDATE} (so it waits for a claimed transaction of a
	 * worker to end), forgets their failures and takes the segments from their owners.
	 * Every later move of a worker that started before names an owner the row no longer
	 * has, so it fails and the worker leaves the segment; the instances claim the
	 * segments again at their next heartbeat and start from the new checkpoint. A
	 * subscription without rows gets them, at that key.
	 * @param connection a connection in a transaction
	 * @param subscription the subscription name
	 * @param key the new checkpoint of every segment
	 * @param segments how many segments to create when there are no rows
	 * @return the rows before, by segment; empty when they were created
	 * @throws SQLException if the database fails
	 */
	List<Checkpoint> reset(Connection connection, String subscription, RecordKey key, int segments)
			throws SQLException {
		lock(connection, subscription);
		List<Checkpoint> before;
		try (PreparedStatement statement = connection.prepareStatement(this.lockSegments)) {
			statement.setString(1, subscription);
			before = checkpoints(statement);
		}
		if (before.isEmpty()) {
			insert(connection, subscription, segments, key);
			return before;
		}
		try (PreparedStatement statement = connection.prepareStatement(this.reset)) {
			key.bind(statement, 1);
			statement.setString(3, subscription);
			statement.executeUpdate();
		}
		return before;
	}

	/**
	 * Delete a subscription's rows.
	 * @param connection the connection
	 * @param subscription the subscription name
	 * @return how many rows were deleted
	 * @throws SQLException if the database fails
	 */
	int delete(Connection connection, String subscription) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.delete)) {
			statement.setString(1, subscription);
			return statement.executeUpdate();
		}
	}

	/**
	 * Return the subscriptions that have rows.
	 * @param connection the connection
	 * @return their names
	 * @throws SQLException if the database fails
	 */
	List<String> names(Connection connection) throws SQLException {
		List<String> names = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(this.names);
				ResultSet result = statement.executeQuery()) {
			while (result.next()) {
				names.add(result.getString(1));
			}
		}
		return names;
	}

	private void lock(Connection connection, String subscription) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
			statement.setString(1, this.lockPrefix + subscription);
			statement.executeQuery().close();
		}
	}

	/**
	 * Read one segment's row.
	 * @param connection the connection
	 * @param subscription the subscription name
	 * @param segment the segment
	 * @return the checkpoint, or {@code null} when the row does not exist
	 * @throws SQLException if the database fails
	 */
	@Nullable Checkpoint read(Connection connection, String subscription, int segment) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.select)) {
			statement.setString(1, subscription);
			statement.setInt(2, segment);
			try (ResultSet result = statement.executeQuery()) {
				return result.next() ? checkpoint(result) : null;
			}
		}
	}

	/**
	 * Read the rows of a subscription's segments.
	 * @param connection the connection
	 * @param subscription the subscription name
	 * @return the rows, by segment
	 * @throws SQLException if the database fails
	 */
	List<Checkpoint> segments(Connection connection, String subscription) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.selectSegments)) {
			statement.setString(1, subscription);
			return checkpoints(statement);
		}
	}

	/**
	 * Read every row.
	 * @param connection the connection
	 * @return the rows, by name and segment
	 * @throws SQLException if the database fails
	 */
	List<Checkpoint> readAll(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.selectAll)) {
			return checkpoints(statement);
		}
	}

	private static List<Checkpoint> checkpoints(PreparedStatement statement) throws SQLException {
		List<Checkpoint> checkpoints = new ArrayList<>();
		try (ResultSet result = statement.executeQuery()) {
			while (result.next()) {
				checkpoints.add(checkpoint(result));
			}
		}
		return checkpoints;
	}

	/**
	 * Move a checkpoint, if the instance owns the segment and the checkpoint still is
	 * where it saw it, and forget failures.
	 * @param connection the connection
	 * @param owner the segment's owner
	 * @param expected where the owner saw the checkpoint
	 * @param next the new checkpoint
	 * @return whether it moved; {@code false} when another instance owns the segment or
	 * moved it first
	 * @throws SQLException if the database fails
	 */
	boolean advance(Connection connection, Owner owner, RecordKey expected, RecordKey next) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.advance)) {
			next.bind(statement, 1);
			owner.bind(statement, 3);
			expected.bind(statement, 6);
			return statement.executeUpdate() == 1;
		}
	}

	/**
	 * Remember a failed call of the record after the checkpoint.
	 * @param connection the connection
	 * @param owner the segment's owner
	 * @param expected where the owner saw the checkpoint
	 * @param attempts how many calls of that record failed so far
	 * @param error the failure
	 * @return whether it was remembered; {@code false} when the checkpoint moved or
	 * another instance owns the segment
	 * @throws SQLException if the database fails
	 */
	boolean recordFailure(Connection connection, Owner owner, RecordKey expected, int attempts, String error)
			throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.fail)) {
			statement.setInt(1, attempts);
			statement.setString(2, error);
			owner.bind(statement, 3);
			expected.bind(statement, 6);
			return statement.executeUpdate() == 1;
		}
	}

	/**
	 * Claim segments nobody owns, or whose owner's lease ran out.
	 * @param connection the connection
	 * @param subscription the subscription name
	 * @param instance the claiming instance
	 * @param most how many segments to claim at most
	 * @param lease how long the claim holds unless extended
	 * @return the claimed segments
	 * @throws SQLException if the database fails
	 */
	List<Integer> claim(Connection connection, String subscription, String instance, int most, Duration lease)
			throws SQLException {
		List<Integer> claimed = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(this.claim)) {
			statement.setString(1, instance);
			statement.setLong(2, lease.toMillis());
			statement.setString(3, subscription);
			statement.setString(4, subscription);
			statement.setInt(5, most);
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					claimed.add(result.getInt(1));
				}
			}
		}
		return claimed;
	}

	/**
	 * Give up a segment the instance owns.
	 * @param connection the connection
	 * @param owner the owner
	 * @return whether it owned the segment
	 * @throws SQLException if the database fails
	 */
	boolean release(Connection connection, Owner owner) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.release)) {
			owner.bind(statement, 1);
			return statement.executeUpdate() == 1;
		}
	}

	/**
	 * Give up every segment an instance owns.
	 * @param connection the connection
	 * @param instance the instance
	 * @throws SQLException if the database fails
	 */
	void releaseAll(Connection connection, String instance) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.releaseAll)) {
			statement.setString(1, instance);
			statement.executeUpdate();
		}
	}

	/**
	 * Extend the lease of every segment an instance owns.
	 * @param connection the connection
	 * @param instance the instance
	 * @param lease how long from now
	 * @throws SQLException if the database fails
	 */
	void renew(Connection connection, String instance, Duration lease) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.renew)) {
			statement.setLong(1, lease.toMillis());
			statement.setString(2, instance);
			statement.executeUpdate();
		}
	}

	private static Checkpoint checkpoint(ResultSet result) throws SQLException {
		return new Checkpoint(result.getString(1), new Segment(result.getInt(2), result.getInt(3)),
				RecordKey.of(result.getString(4), result.getLong(5)), result.getInt(6), result.getString(7),
				result.getString(8), result.getBoolean(9));
	}

	/**
	 * A segment as its owner names it in the statements that check ownership.
	 *
	 * @param subscription the subscription name
	 * @param segment the segment
	 * @param instance the owning instance
	 */
	record Owner(String subscription, Segment segment, String instance) {

		void bind(PreparedStatement statement, int index) throws SQLException {
			statement.setString(index, this.subscription);
			statement.setInt(index + 1, this.segment.index());
			statement.setString(index + 2, this.instance);
		}

	}

	/**
	 * The segments of a subscription after {@link #ensure}.
	 *
	 * @param segments how many segments it has now
	 * @param change what was done
	 * @param previous how many it had before, {@code 0} when it is new
	 * @param postponedBecause why a change of the number of segments waits, or
	 * {@code null}
	 */
	record Layout(int segments, Change change, int previous, @Nullable String postponedBecause) {

		enum Change {

			CREATED, NONE, CHANGED, POSTPONED

		}

	}

}
