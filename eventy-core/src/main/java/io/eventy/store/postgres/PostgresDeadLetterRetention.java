package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Deletes the dead letters of every subscription that died longer ago than a retention
 * period, when it starts and then at a fixed interval, from a daemon thread of its own.
 * One instance at a time does it: the deletion runs in a transaction that first takes an
 * advisory lock, and an instance that finds it taken leaves the work to the other one. A
 * dead letter put back in line ({@code redrive}) is kept until it is handled or dies
 * again. Records are never deleted: the event log is kept forever.
 */
public final class PostgresDeadLetterRetention implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(PostgresDeadLetterRetention.class);

	private final DataSource dataSource;

	private final DeadLetterTable table;

	private final String lock;

	private final Duration retention;

	private final Duration interval;

	private @Nullable ScheduledExecutorService executor;

	/**
	 * Create the retention.
	 * @param dataSource the store's database
	 * @param settings schema and table prefix of the store
	 * @param retention how long dead letters are kept after they died, positive
	 * @param interval how long between two deletions, positive
	 */
	public PostgresDeadLetterRetention(DataSource dataSource, PostgresStoreSettings settings, Duration retention,
			Duration interval) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
		this.table = new DeadLetterTable(settings, null);
		this.lock = "eventy:" + settings.table("dead_letters") + ":retention";
		this.retention = positive("retention", retention);
		this.interval = positive("interval", interval);
	}

	private static Duration positive(String name, Duration duration) {
		Objects.requireNonNull(duration, name);
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(name + " must be positive, was " + duration);
		}
		return duration;
	}

	/**
	 * Delete the dead letters older than the retention period now, unless another
	 * instance is doing it.
	 * @return how many were deleted; {@code -1} when another instance was doing it
	 */
	public int deleteExpired() {
		int deleted = StoreConnections.write(this.dataSource, "delete the expired dead letters",
				(connection) -> tryLock(connection) ? this.table.deleteOlderThan(connection, this.retention) : -1);
		if (deleted > 0) {
			logger.info("Deleted {} dead letter(s) that died more than {} ago", deleted, this.retention);
		}
		return deleted;
	}

	private boolean tryLock(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))")) {
			statement.setString(1, this.lock);
			try (ResultSet result = statement.executeQuery()) {
				return result.next() && result.getBoolean(1);
			}
		}
	}

	private void run() {
		try {
			deleteExpired();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not delete the dead letters older than {}; trying again in {}", this.retention,
					this.interval, ex);
		}
	}

	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "eventy-dead-letter-retention");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(this::run, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
		this.executor = executor;
		logger.info("Dead letters are deleted {} after they died, checked every {}", this.retention, this.interval);
	}

	@Override
	public synchronized void stop() {
		ScheduledExecutorService executor = this.executor;
		if (executor != null) {
			executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

}
