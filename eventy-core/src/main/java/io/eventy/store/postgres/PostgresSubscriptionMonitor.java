package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Measures subscriptions: how far each is behind, and whether reading is held back by a
 * long-running transaction. For health checks and dashboards; each call runs a few
 * indexed queries.
 */
public final class PostgresSubscriptionMonitor {

	/** Counts stop here, so that a large backlog is cheap to measure. */
	public static final long MAX_COUNTED = 1_000_000;

	private final DataSource dataSource;

	private final SubscriptionCheckpoints checkpoints;

	private final DeadLetterTable deadLetters;

	private final SubscriptionPauses pauses;

	private final String lag;

	private final String segmentLag;

	private final String waiting;

	/**
	 * Create a monitor.
	 * @param dataSource the store's database
	 * @param settings schema and table prefix of the store
	 */
	public PostgresSubscriptionMonitor(DataSource dataSource, PostgresStoreSettings settings) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
		this.checkpoints = new SubscriptionCheckpoints(settings);
		this.deadLetters = new DeadLetterTable(settings, null);
		this.pauses = new SubscriptionPauses(settings);
		String records = settings.table("records");
		this.lag = "SELECT count(*) FROM (SELECT 1 FROM " + records
				+ " WHERE (transaction_id, position) > (?::xid8, ?) LIMIT " + MAX_COUNTED + ") behind";
		this.segmentLag = "SELECT count(*) FROM (SELECT 1 FROM " + records
				+ " WHERE (transaction_id, position) > (?::xid8, ?) AND " + SubscriptionRecordReader.SEGMENT_OF_RECORD
				+ " = ? LIMIT ?) behind";
		this.waiting = "SELECT (SELECT count(*) FROM (SELECT 1 FROM " + records
				+ " WHERE transaction_id >= pg_snapshot_xmin(pg_current_snapshot()) LIMIT " + MAX_COUNTED
				+ ") waiting), (SELECT min(recorded_at) FROM " + records
				+ " WHERE transaction_id >= pg_snapshot_xmin(pg_current_snapshot())), "
				+ "(SELECT xact_start FROM pg_stat_activity WHERE backend_xid IS NOT NULL "
				+ "ORDER BY xact_start LIMIT 1), (SELECT pid FROM pg_stat_activity WHERE backend_xid IS NOT NULL "
				+ "ORDER BY xact_start LIMIT 1), clock_timestamp()";
	}

	/**
	 * Measure every subscription that has a row, running here or elsewhere.
	 * @return the lag of each subscription, by name
	 */
	public List<SubscriptionLag> subscriptions() {
		try (Connection connection = this.dataSource.getConnection()) {
			Map<String, Long> deadLetters = this.deadLetters.counts(connection);
			Map<String, List<Checkpoint>> bySubscription = new LinkedHashMap<>();
			for (Checkpoint checkpoint : this.checkpoints.readAll(connection)) {
				bySubscription.computeIfAbsent(checkpoint.subscription(), (name) -> new ArrayList<>()).add(checkpoint);
			}
			List<SubscriptionLag> lags = new ArrayList<>();
			for (Map.Entry<String, List<Checkpoint>> subscription : bySubscription.entrySet()) {
				lags.add(measure(connection, subscription.getKey(), subscription.getValue(),
						deadLetters.getOrDefault(subscription.getKey(), 0L)));
			}
			return lags;
		}
		catch (SQLException ex) {
			throw new DataAccessResourceFailureException("Could not measure the subscriptions", ex);
		}
	}

	/**
	 * Return the subscriptions paused on every instance.
	 * @return their names, ordered
	 * @see PostgresSubscriptionControls#pause(String)
	 */
	public List<String> paused() {
		return StoreConnections.read(this.dataSource, "read the paused subscriptions", this.pauses::paused);
	}

	/**
	 * Measure whether reading is held back by an old transaction.
	 * @return the read horizon
	 */
	public ReadHorizon horizon() {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(this.waiting);
				ResultSet result = statement.executeQuery()) {
			result.next();
			Integer pid = (Integer) result.getObject(4);
			return new ReadHorizon(result.getLong(1), instant(result.getTimestamp(2)), instant(result.getTimestamp(3)),
					pid, Objects.requireNonNull(instant(result.getTimestamp(5))));
		}
		catch (SQLException ex) {
			throw new DataAccessResourceFailureException("Could not measure the read horizon", ex);
		}
	}

	/**
	 * Measure a subscription from its segments' rows: the lowest checkpoint, the records
	 * behind summed over the segments, and the segment failing most.
	 */
	private SubscriptionLag measure(Connection connection, String subscription, List<Checkpoint> segments,
			long deadLetters) throws SQLException {
		long position = Long.MAX_VALUE;
		long lag = 0;
		Checkpoint failing = segments.get(0);
		for (Checkpoint segment : segments) {
			position = Math.min(position, segment.key().position());
			lag = Math.min(MAX_COUNTED, lag + lag(connection, segment.key(), segment.segment()));
			if (segment.failedAttempts() > failing.failedAttempts()) {
				failing = segment;
			}
		}
		return new SubscriptionLag(subscription, position, lag, failing.failedAttempts(), failing.lastError(),
				deadLetters);
	}

	long lag(Connection connection, RecordKey checkpoint, Segment segment) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(segment.whole() ? this.lag : this.segmentLag)) {
			checkpoint.bind(statement, 1);
			if (!segment.whole()) {
				// the segments of a subscription share the counting budget
				statement.setInt(3, segment.count());
				statement.setInt(4, segment.index());
				statement.setLong(5, MAX_COUNTED / segment.count());
			}
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
