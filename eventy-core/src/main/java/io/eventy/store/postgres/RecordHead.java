package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.jspecify.annotations.Nullable;

/**
 * Finds the newest record subscriptions can read: the last one, in reading order, of the
 * transactions below a horizon. A new subscription that starts at the latest record
 * starts there, and a subscription to one record type moves its checkpoint there when
 * nothing of its type is left below the horizon.
 */
final class RecordHead {

	private final String belowCurrentHorizon;

	private final String belowHorizon;

	private final String lastPosition;

	private final String atOrBefore;

	private final String firstAtOrAfter;

	RecordHead(PostgresStoreSettings settings) {
		// the text column needs its own name: ORDER BY would sort by it otherwise
		String newest = "SELECT r.transaction_id::text AS transaction_text, r.position FROM "
				+ settings.table("records")
				+ " r WHERE r.transaction_id < %s ORDER BY r.transaction_id DESC, r.position DESC LIMIT 1";
		this.belowCurrentHorizon = newest.formatted("pg_snapshot_xmin(pg_current_snapshot())");
		this.belowHorizon = newest.formatted("?::xid8");
		String records = settings.table("records");
		this.lastPosition = "SELECT coalesce(max(position), 0) FROM " + records;
		this.atOrBefore = "SELECT transaction_id::text, position FROM " + records
				+ " WHERE position <= ? ORDER BY position DESC LIMIT 1";
		this.firstAtOrAfter = "SELECT transaction_id::text AS transaction_text, position FROM " + records
				+ " WHERE recorded_at >= ? ORDER BY transaction_id, position LIMIT 1";
	}

	/**
	 * Return the position of the newest record, whatever its transaction: one look at the
	 * end of the primary key.
	 * @param connection the connection
	 * @return the position, {@code 0} when there is none
	 * @throws SQLException if the database fails
	 */
	long lastPosition(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.lastPosition);
				ResultSet result = statement.executeQuery()) {
			result.next();
			return result.getLong(1);
		}
	}

	/**
	 * Return the key of the record at a position, or of the last one before it: one look
	 * into the primary key.
	 * @param connection the connection
	 * @param position the position
	 * @return the key, {@link RecordKey#START} when no record is at or before it
	 * @throws SQLException if the database fails
	 */
	RecordKey atOrBefore(Connection connection, long position) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.atOrBefore)) {
			statement.setLong(1, position);
			return newest(statement);
		}
	}

	/**
	 * Return the key just before the first record, in reading order, recorded at or after
	 * a time: a checkpoint from which that record is read next.
	 * @param connection the connection
	 * @param time the time
	 * @return the key, or {@code null} when no record was recorded at or after it
	 * @throws SQLException if the database fails
	 */
	@Nullable RecordKey before(Connection connection, Instant time) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.firstAtOrAfter)) {
			statement.setObject(1, OffsetDateTime.ofInstant(time, ZoneOffset.UTC));
			try (ResultSet result = statement.executeQuery()) {
				if (!result.next()) {
					return null;
				}
				RecordKey first = RecordKey.of(result.getString(1), result.getLong(2));
				return new RecordKey(first.transactionId(), first.position() - 1);
			}
		}
	}

	/**
	 * Return the key of the newest record below the oldest transaction still running.
	 * @param connection the connection
	 * @return the key, {@link RecordKey#START} when there is none
	 * @throws SQLException if the database fails
	 */
	RecordKey belowCurrentHorizon(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.belowCurrentHorizon)) {
			return newest(statement);
		}
	}

	/**
	 * Return the key of the newest record below a horizon.
	 * @param connection the connection
	 * @param horizon the transaction id ({@code xid8}) the records' transactions are
	 * below
	 * @return the key, {@link RecordKey#START} when there is none
	 * @throws SQLException if the database fails
	 */
	RecordKey below(Connection connection, String horizon) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.belowHorizon)) {
			statement.setString(1, horizon);
			return newest(statement);
		}
	}

	private static RecordKey newest(PreparedStatement statement) throws SQLException {
		try (ResultSet result = statement.executeQuery()) {
			return result.next() ? RecordKey.of(result.getString(1), result.getLong(2)) : RecordKey.START;
		}
	}

}
