package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Finds the newest record subscriptions can read: the last one, in reading order, of the
 * transactions below a horizon. A new subscription that starts at the latest record
 * starts there, and a subscription to one record type moves its checkpoint there when
 * nothing of its type is left below the horizon.
 */
final class RecordHead {

	private final String belowCurrentHorizon;

	private final String belowHorizon;

	RecordHead(PostgresStoreSettings settings) {
		// the text column needs its own name: ORDER BY would sort by it otherwise
		String newest = "SELECT r.transaction_id::text AS transaction_text, r.position FROM "
				+ settings.table("records")
				+ " r WHERE r.transaction_id < %s ORDER BY r.transaction_id DESC, r.position DESC LIMIT 1";
		this.belowCurrentHorizon = newest.formatted("pg_snapshot_xmin(pg_current_snapshot())");
		this.belowHorizon = newest.formatted("?::xid8");
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
