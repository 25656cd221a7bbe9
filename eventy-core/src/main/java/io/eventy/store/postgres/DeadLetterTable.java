package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.eventy.handler.DeadLetter;
import io.eventy.store.postgres.SubscriptionRecordReader.ReadRecord;
import org.jspecify.annotations.Nullable;

/**
 * The {@code <prefix>dead_letters} table: records subscriptions gave up on, one row per
 * subscription and record. {@code redrive} marks those put back in line;
 * {@code redrive_attempts} counts their failed calls since.
 */
final class DeadLetterTable {

	private final @Nullable SubscriptionRecordReader reader;

	private final String records;

	private final String insert;

	private final String nextRedrive;

	private final String delete;

	private final String redriveFailed;

	private final String list;

	private final String redrive;

	private final String count;

	private final String page;

	private final String countOne;

	private final String redriveOne;

	private final String discardOne;

	private final String discardAll;

	private final String expire;

	DeadLetterTable(PostgresStoreSettings settings, @Nullable SubscriptionRecordReader reader) {
		this.reader = reader;
		String table = settings.table("dead_letters");
		String records = settings.table("records");
		this.records = records;
		this.insert = "INSERT INTO " + table + " (subscription, position, uuid, attempts, last_error) "
				+ "VALUES (?, ?, ?, ?, ?) ON CONFLICT (subscription, position) DO UPDATE SET " + "attempts = " + table
				+ ".attempts + EXCLUDED.attempts, last_error = EXCLUDED.last_error, "
				+ "dead_at = now(), redrive = false, redrive_attempts = 0";
		String select = "SELECT d.id, d.subscription, d.attempts, d.last_error, d.dead_at, d.redrive_attempts, "
				+ SubscriptionRecordReader.columns("r.");
		String join = "JOIN " + records + " r ON r.position = d.position WHERE d.subscription = ?";
		this.nextRedrive = select + " FROM " + table + " d " + join + " AND d.redrive ORDER BY d.position LIMIT 1";
		// every dead letter, also one whose record row is gone
		this.list = select + ", d.position AS dead_position, d.uuid AS dead_uuid FROM " + table + " d LEFT " + join
				+ " ORDER BY d.position";
		this.delete = "DELETE FROM " + table + " WHERE id = ? AND redrive";
		this.redriveFailed = "UPDATE " + table + " SET redrive_attempts = ?, last_error = ?, "
				+ "redrive = ?, attempts = attempts + CASE WHEN ? THEN 0 ELSE ? END, "
				+ "dead_at = CASE WHEN ? THEN dead_at ELSE now() END WHERE id = ? AND redrive";
		this.redrive = "UPDATE " + table + " SET redrive = true, redrive_attempts = 0 WHERE subscription = ? "
				+ "AND NOT redrive";
		this.count = "SELECT subscription, count(*) FROM " + table + " GROUP BY subscription";
		this.page = this.list + " OFFSET ? LIMIT ?";
		this.countOne = "SELECT count(*) FROM " + table + " WHERE subscription = ?";
		this.redriveOne = "UPDATE " + table + " SET redrive = true, "
				+ "redrive_attempts = CASE WHEN redrive THEN redrive_attempts ELSE 0 END "
				+ "WHERE subscription = ? AND uuid = ?";
		this.discardOne = "DELETE FROM " + table + " WHERE subscription = ? AND uuid = ?";
		this.discardAll = "DELETE FROM " + table + " WHERE subscription = ?";
		this.expire = "DELETE FROM " + table + " WHERE dead_at < now() - ? * interval '1 millisecond' "
				+ "AND NOT redrive";
	}

	private SubscriptionRecordReader reader() {
		SubscriptionRecordReader reader = this.reader;
		if (reader == null) {
			throw new IllegalStateException("This dead letter table does not read records");
		}
		return reader;
	}

	/**
	 * Give up on a record.
	 * @param connection the connection
	 * @param subscription the subscription
	 * @param record the record
	 * @param attempts how many calls failed
	 * @param error the last failure
	 * @throws SQLException if the database fails
	 */
	void insert(Connection connection, String subscription, ReadRecord record, int attempts, String error)
			throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.insert)) {
			statement.setString(1, subscription);
			statement.setLong(2, record.key().position());
			statement.setObject(3, record.uuid());
			statement.setInt(4, attempts);
			statement.setString(5, error);
			statement.executeUpdate();
		}
	}

	/**
	 * Return the oldest dead letter of a subscription that was put back in line.
	 * @param connection the connection
	 * @param subscription the subscription
	 * @return the dead letter, or {@code null} when none waits
	 * @throws SQLException if the database fails
	 */
	@Nullable Pending nextRedrive(Connection connection, String subscription) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.nextRedrive)) {
			statement.setString(1, subscription);
			try (ResultSet result = statement.executeQuery()) {
				return result.next() ? new Pending(result.getLong("id"), result.getInt("attempts"),
						result.getInt("redrive_attempts"), reader().map(result)) : null;
			}
		}
	}

	/**
	 * Remove a re-driven dead letter that was handled.
	 * @param connection the connection
	 * @param id the dead letter's id
	 * @return whether it was removed; {@code false} when it is no longer waiting
	 * @throws SQLException if the database fails
	 */
	boolean delete(Connection connection, long id) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.delete)) {
			statement.setLong(1, id);
			return statement.executeUpdate() == 1;
		}
	}

	/**
	 * Remember a failed call of a re-driven dead letter.
	 * @param connection the connection
	 * @param id the dead letter's id
	 * @param redriveAttempts how many calls failed since it was re-driven
	 * @param error the failure
	 * @param retry whether it stays in line for another call; if not, it is dead again
	 * @return whether it was updated
	 * @throws SQLException if the database fails
	 */
	boolean redriveFailed(Connection connection, long id, int redriveAttempts, String error, boolean retry)
			throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.redriveFailed)) {
			statement.setInt(1, retry ? redriveAttempts : 0);
			statement.setString(2, error);
			statement.setBoolean(3, retry);
			statement.setBoolean(4, retry);
			statement.setInt(5, redriveAttempts);
			statement.setBoolean(6, retry);
			statement.setLong(7, id);
			return statement.executeUpdate() == 1;
		}
	}

	/**
	 * List a subscription's dead letters, also those whose record cannot be read.
	 * @param connection the connection
	 * @param subscription the subscription
	 * @return the dead letters, oldest record first
	 * @throws SQLException if the database fails
	 */
	List<DeadLetter> list(Connection connection, String subscription) throws SQLException {
		List<DeadLetter> letters = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(this.list)) {
			statement.setString(1, subscription);
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					letters.add(letter(result, subscription));
				}
			}
		}
		return letters;
	}

	/**
	 * List a page of a subscription's dead letters, also those whose record cannot be
	 * read.
	 * @param connection the connection
	 * @param subscription the subscription
	 * @param offset how many to skip
	 * @param limit how many at most
	 * @return the dead letters, oldest record first
	 * @throws SQLException if the database fails
	 */
	List<DeadLetter> list(Connection connection, String subscription, int offset, int limit) throws SQLException {
		List<DeadLetter> letters = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(this.page)) {
			statement.setString(1, subscription);
			statement.setInt(2, Math.max(offset, 0));
			statement.setInt(3, Math.max(limit, 0));
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					letters.add(letter(result, subscription));
				}
			}
		}
		return letters;
	}

	/**
	 * Count a subscription's dead letters.
	 * @param connection the connection
	 * @param subscription the subscription
	 * @return how many
	 * @throws SQLException if the database fails
	 */
	long count(Connection connection, String subscription) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.countOne)) {
			statement.setString(1, subscription);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
	}

	/**
	 * Put one dead letter back in line; one already in line stays there as it is.
	 * @param connection the connection
	 * @param subscription the subscription
	 * @param uuid the record's uuid
	 * @return whether the subscription has a dead letter of that record
	 * @throws SQLException if the database fails
	 */
	boolean redrive(Connection connection, String subscription, UUID uuid) throws SQLException {
		return update(connection, this.redriveOne, subscription, uuid) > 0;
	}

	/**
	 * Delete one dead letter.
	 * @param connection the connection
	 * @param subscription the subscription
	 * @param uuid the record's uuid
	 * @return whether there was one
	 * @throws SQLException if the database fails
	 */
	boolean discard(Connection connection, String subscription, UUID uuid) throws SQLException {
		return update(connection, this.discardOne, subscription, uuid) > 0;
	}

	/**
	 * Delete every dead letter of a subscription.
	 * @param connection the connection
	 * @param subscription the subscription
	 * @return how many
	 * @throws SQLException if the database fails
	 */
	int discard(Connection connection, String subscription) throws SQLException {
		return update(connection, this.discardAll, subscription, null);
	}

	/**
	 * Delete the dead letters of every subscription that died longer ago than a duration
	 * (or died again, for a re-driven one).
	 * @param connection the connection
	 * @param age the age
	 * @return how many
	 * @throws SQLException if the database fails
	 */
	int deleteOlderThan(Connection connection, Duration age) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.expire)) {
			statement.setLong(1, age.toMillis());
			return statement.executeUpdate();
		}
	}

	private static int update(Connection connection, String sql, String subscription, @Nullable UUID uuid)
			throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setString(1, subscription);
			if (uuid != null) {
				statement.setObject(2, uuid);
			}
			return statement.executeUpdate();
		}
	}

	private DeadLetter letter(ResultSet result, String subscription) throws SQLException {
		long position = result.getLong("dead_position");
		String id = Long.toString(position);
		int attempts = result.getInt("attempts");
		String lastError = result.getString("last_error");
		Timestamp deadAtColumn = result.getTimestamp("dead_at");
		Instant deadAt = (deadAtColumn != null) ? deadAtColumn.toInstant() : Instant.EPOCH;
		if (result.getObject("position") == null) {
			return new DeadLetter(subscription, id, result.getObject("dead_uuid", UUID.class), null, null,
					"No record at position " + position + " in " + this.records, "", attempts, lastError, deadAt);
		}
		ReadRecord record = reader().map(result);
		return new DeadLetter(subscription, id, record.uuid(), record.qualifiedName(), record.record(),
				record.unreadable(), RecordRowJson.of(result), attempts, lastError, deadAt);
	}

	/**
	 * Put a subscription's dead letters back in line.
	 * @param connection the connection
	 * @param subscription the subscription
	 * @return how many
	 * @throws SQLException if the database fails
	 */
	int redrive(Connection connection, String subscription) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.redrive)) {
			statement.setString(1, subscription);
			return statement.executeUpdate();
		}
	}

	/**
	 * Count the dead letters of every subscription.
	 * @param connection the connection
	 * @return the counts by subscription
	 * @throws SQLException if the database fails
	 */
	Map<String, Long> counts(Connection connection) throws SQLException {
		Map<String, Long> counts = new HashMap<>();
		try (PreparedStatement statement = connection.prepareStatement(this.count);
				ResultSet result = statement.executeQuery()) {
			while (result.next()) {
				counts.put(result.getString(1), result.getLong(2));
			}
		}
		return counts;
	}

	/**
	 * A dead letter put back in line.
	 *
	 * @param id its id
	 * @param attempts how many calls failed before it was re-driven
	 * @param redriveAttempts how many calls failed since it was re-driven
	 * @param record the record
	 */
	record Pending(long id, int attempts, int redriveAttempts, ReadRecord record) {
	}

}
