package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code <prefix>subscription_controls} table: what operators decided for a
 * subscription, for every instance and across restarts. A paused subscription's workers
 * look at its row (before a batch that follows a wait, and every second while they work
 * off a backlog) and hold while it says {@code paused}.
 */
final class SubscriptionPauses {

	private final String paused;

	private final String pause;

	private final String resume;

	private final String names;

	private final String pausedNames;

	private final String delete;

	SubscriptionPauses(PostgresStoreSettings settings) {
		String table = settings.table("subscription_controls");
		this.paused = "SELECT paused FROM " + table + " WHERE name = ?";
		this.pause = "INSERT INTO " + table + " (name, paused, changed_at, changed_by) VALUES (?, true, now(), ?) "
				+ "ON CONFLICT (name) DO UPDATE SET paused = true, changed_at = EXCLUDED.changed_at, "
				+ "changed_by = EXCLUDED.changed_by WHERE NOT " + table + ".paused";
		this.resume = "UPDATE " + table + " SET paused = false, changed_at = now(), changed_by = ? "
				+ "WHERE name = ? AND paused";
		this.names = "SELECT name FROM " + table + " ORDER BY name";
		this.pausedNames = "SELECT name FROM " + table + " WHERE paused ORDER BY name";
		this.delete = "DELETE FROM " + table + " WHERE name = ?";
	}

	/**
	 * Return whether a subscription is paused.
	 * @param connection the connection
	 * @param subscription the subscription name
	 * @return whether it is paused
	 * @throws SQLException if the database fails
	 */
	boolean paused(Connection connection, String subscription) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.paused)) {
			statement.setString(1, subscription);
			try (ResultSet result = statement.executeQuery()) {
				return result.next() && result.getBoolean(1);
			}
		}
	}

	/**
	 * Pause or resume a subscription.
	 * @param connection the connection
	 * @param subscription the subscription name
	 * @param paused whether it is paused from now on
	 * @param by who decided it, such as an instance id
	 * @return whether that changed anything
	 * @throws SQLException if the database fails
	 */
	boolean set(Connection connection, String subscription, boolean paused, String by) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(paused ? this.pause : this.resume)) {
			statement.setString(paused ? 1 : 2, subscription);
			statement.setString(paused ? 2 : 1, by);
			return statement.executeUpdate() == 1;
		}
	}

	/**
	 * Return the subscriptions that have a row.
	 * @param connection the connection
	 * @return their names
	 * @throws SQLException if the database fails
	 */
	List<String> names(Connection connection) throws SQLException {
		return names(connection, this.names);
	}

	/**
	 * Return the subscriptions that are paused.
	 * @param connection the connection
	 * @return their names
	 * @throws SQLException if the database fails
	 */
	List<String> paused(Connection connection) throws SQLException {
		return names(connection, this.pausedNames);
	}

	private static List<String> names(Connection connection, String sql) throws SQLException {
		List<String> names = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(sql);
				ResultSet result = statement.executeQuery()) {
			while (result.next()) {
				names.add(result.getString(1));
			}
		}
		return names;
	}

	/**
	 * Delete a subscription's row.
	 * @param connection the connection
	 * @param subscription the subscription name
	 * @throws SQLException if the database fails
	 */
	void delete(Connection connection, String subscription) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.delete)) {
			statement.setString(1, subscription);
			statement.executeUpdate();
		}
	}

}
