package io.eventy.test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.eventy.store.EventStore;
import io.eventy.store.StoredRecord;
import io.eventy.store.postgres.PostgresStoreSettings;
import io.eventy.store.postgres.PostgresSubscriptionMonitor;
import io.eventy.store.postgres.PostgresSubscriptions;
import io.eventy.store.postgres.SubscriptionLag;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The PostgreSQL store: a mark is a transaction snapshot, so that records committed out
 * of position order after it are found too; a subscription is done when each of its
 * segments' checkpoints is at the head, measured in one snapshot.
 */
final class PostgresStoreProbe implements StoreProbe {

	private static final int PAGE = 1000;

	private final DataSource dataSource;

	private final PostgresStoreSettings settings;

	private final EventStore store;

	private final @Nullable PostgresSubscriptions subscriptions;

	private final JdbcTemplate jdbc;

	private final String sinceSql;

	PostgresStoreProbe(DataSource dataSource, PostgresStoreSettings settings, EventStore store,
			@Nullable PostgresSubscriptions subscriptions) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
		this.settings = Objects.requireNonNull(settings, "settings");
		this.store = Objects.requireNonNull(store, "store");
		this.subscriptions = subscriptions;
		this.jdbc = new JdbcTemplate(dataSource);
		this.sinceSql = "SELECT position FROM " + settings.table("records")
				+ " WHERE transaction_id >= pg_snapshot_xmin(?::pg_snapshot)"
				+ " AND NOT pg_visible_in_snapshot(transaction_id, ?::pg_snapshot) ORDER BY position";
	}

	@Override
	public Object mark() {
		return Objects.requireNonNull(this.jdbc.queryForObject("SELECT pg_current_snapshot()::text", String.class));
	}

	@Override
	public List<StoredRecord> since(Object mark) {
		String snapshot = (String) mark;
		List<Long> positions = this.jdbc.queryForList(this.sinceSql, Long.class, snapshot, snapshot);
		if (positions.isEmpty()) {
			return List.of();
		}
		Set<Long> wanted = new HashSet<>(positions);
		List<StoredRecord> found = new ArrayList<>(positions.size());
		long from = positions.get(0);
		long last = positions.get(positions.size() - 1);
		while (from <= last) {
			List<StoredRecord> page = this.store.readAll(from, PAGE);
			if (page.isEmpty()) {
				break;
			}
			page.stream().filter((record) -> wanted.contains(record.position())).forEach(found::add);
			from = page.get(page.size() - 1).position() + 1;
		}
		return found;
	}

	@Override
	public List<String> busy() {
		PostgresSubscriptions running = this.subscriptions;
		if (running == null || !running.isRunning()) {
			return List.of();
		}
		List<String> names = running.subscriptions();
		Map<String, SubscriptionLag> lags = measure().stream()
			.collect(Collectors.toMap(SubscriptionLag::subscription, Function.identity()));
		List<String> busy = new ArrayList<>();
		for (String name : names) {
			SubscriptionLag lag = lags.get(name);
			if (lag == null) {
				busy.add(name + ": no checkpoint yet");
			}
			else if (lag.lag() > 0) {
				busy.add(name + ": " + lag.lag() + " record(s) behind its checkpoint at position "
						+ lag.checkpointPosition()
						+ ((lag.failedAttempts() > 0)
								? ", its next record failed " + lag.failedAttempts() + " time(s): " + lag.lastError()
								: ""));
			}
		}
		return busy;
	}

	@Override
	public void wakeUp() {
		PostgresSubscriptions running = this.subscriptions;
		if (running != null) {
			running.wakeUp();
		}
	}

	// every checkpoint and every count in one snapshot: a handler that emits records
	// between two queries cannot make a busy store look done
	private List<SubscriptionLag> measure() {
		try (Connection connection = this.dataSource.getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			int isolation = connection.getTransactionIsolation();
			connection.setAutoCommit(false);
			connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
			try {
				return new PostgresSubscriptionMonitor(new SingleConnectionDataSource(connection, true), this.settings)
					.subscriptions();
			}
			finally {
				connection.rollback();
				connection.setTransactionIsolation(isolation);
				connection.setAutoCommit(autoCommit);
			}
		}
		catch (SQLException ex) {
			throw new DataAccessResourceFailureException("Eventy could not measure the subscriptions", ex);
		}
	}

}
