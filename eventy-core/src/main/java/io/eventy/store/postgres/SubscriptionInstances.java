package io.eventy.store.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code <prefix>subscription_instances} table: which instances run which
 * subscription, each alive while its heartbeat keeps {@code alive_until} ahead. An
 * instance counts the live ones to know its fair share of a subscription's segments,
 * including instances that own none yet.
 */
final class SubscriptionInstances {

	private final String beat;

	private final String count;

	private final String forget;

	private final String leave;

	private final String live;

	SubscriptionInstances(PostgresStoreSettings settings) {
		String table = settings.table("subscription_instances");
		this.beat = "INSERT INTO " + table + " (subscription, instance, alive_until) "
				+ "SELECT unnest(?::text[]), ?, clock_timestamp() + ? * interval '1 millisecond' "
				+ "ON CONFLICT (subscription, instance) DO UPDATE SET alive_until = EXCLUDED.alive_until";
		this.count = "SELECT subscription, count(*) FROM " + table
				+ " WHERE subscription = ANY(?::text[]) AND alive_until > clock_timestamp() GROUP BY subscription";
		this.forget = "DELETE FROM " + table + " WHERE alive_until < clock_timestamp() - interval '1 hour'";
		this.leave = "DELETE FROM " + table + " WHERE instance = ?";
		this.live = "SELECT subscription, string_agg(instance, ', ' ORDER BY instance) FROM " + table
				+ " WHERE alive_until > clock_timestamp() GROUP BY subscription";
	}

	/**
	 * Return the subscriptions that live instances run.
	 * @param connection the connection
	 * @return the instances of each, by subscription, as a list for messages
	 * @throws SQLException if the database fails
	 */
	Map<String, String> live(Connection connection) throws SQLException {
		Map<String, String> live = new HashMap<>();
		try (PreparedStatement statement = connection.prepareStatement(this.live);
				ResultSet result = statement.executeQuery()) {
			while (result.next()) {
				live.put(result.getString(1), result.getString(2));
			}
		}
		return live;
	}

	/**
	 * Say that an instance is alive and runs some subscriptions, and forget instances
	 * gone for an hour.
	 * @param connection the connection
	 * @param subscriptions the subscriptions it runs
	 * @param instance the instance
	 * @param lease how long it counts as alive without another beat
	 * @throws SQLException if the database fails
	 */
	void beat(Connection connection, Collection<String> subscriptions, String instance, Duration lease)
			throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.beat)) {
			statement.setArray(1, names(connection, subscriptions));
			statement.setString(2, instance);
			statement.setLong(3, lease.toMillis());
			statement.executeUpdate();
		}
		try (PreparedStatement statement = connection.prepareStatement(this.forget)) {
			statement.executeUpdate();
		}
	}

	/**
	 * Count the live instances of some subscriptions.
	 * @param connection the connection
	 * @param subscriptions the subscriptions
	 * @return the counts, by subscription; a subscription no live instance runs is absent
	 * @throws SQLException if the database fails
	 */
	Map<String, Integer> count(Connection connection, Collection<String> subscriptions) throws SQLException {
		Map<String, Integer> counts = new HashMap<>();
		try (PreparedStatement statement = connection.prepareStatement(this.count)) {
			statement.setArray(1, names(connection, subscriptions));
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					counts.put(result.getString(1), result.getInt(2));
				}
			}
		}
		return counts;
	}

	/**
	 * Say that an instance stops running subscriptions.
	 * @param connection the connection
	 * @param instance the instance
	 * @throws SQLException if the database fails
	 */
	void leave(Connection connection, String instance) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.leave)) {
			statement.setString(1, instance);
			statement.executeUpdate();
		}
	}

	private static Array names(Connection connection, Collection<String> subscriptions) throws SQLException {
		return connection.createArrayOf("text", subscriptions.toArray());
	}

}
