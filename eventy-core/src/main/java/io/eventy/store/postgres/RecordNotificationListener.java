package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on the store's notification channel on a dedicated connection and wakes the
 * subscriptions when records were committed. After a lost connection it connects again
 * and wakes them once, so that they catch up by reading: notifications sent while it was
 * away are gone. Polling remains the fallback.
 */
final class RecordNotificationListener implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(RecordNotificationListener.class);

	private static final int RECEIVE_TIMEOUT_MILLIS = 500;

	private static final Duration CHECK_INTERVAL = Duration.ofSeconds(5);

	private final DataSource dataSource;

	private final String channel;

	private final Runnable wake;

	private final WakeSignal stopped = new WakeSignal();

	private final FailureBackoff reconnects = new FailureBackoff(Duration.ofMillis(50), 7);

	RecordNotificationListener(DataSource dataSource, String channel, Runnable wake) {
		this.dataSource = dataSource;
		this.channel = channel;
		this.wake = wake;
	}

	void stop() {
		this.stopped.stop();
	}

	@Override
	public void run() {
		while (!this.stopped.isStopped()) {
			try (Connection connection = this.dataSource.getConnection()) {
				listen(connection);
			}
			catch (SQLException | RuntimeException ex) {
				if (this.stopped.isStopped()) {
					break;
				}
				Duration delay = this.reconnects.failed();
				if (this.reconnects.firstFailure()) {
					logger.warn("Lost the connection listening on '{}'; connecting again in {}, polling meanwhile",
							this.channel, delay, ex);
				}
				else {
					logger.debug("Still cannot listen on '{}'", this.channel, ex);
				}
				try {
					this.stopped.sleep(delay);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					break;
				}
			}
		}
	}

	private void listen(Connection connection) throws SQLException {
		connection.setAutoCommit(true);
		PGConnection postgres = connection.unwrap(PGConnection.class);
		try (Statement statement = connection.createStatement()) {
			statement.execute("LISTEN \"" + this.channel + "\"");
		}
		try {
			// a later loss of this connection is a new outage, worth its own warning
			if (this.reconnects.succeeded()) {
				logger.info("Listening on '{}' again", this.channel);
			}
			// whatever was committed while nobody listened is found by reading
			this.wake.run();
			long nextCheck = System.nanoTime() + CHECK_INTERVAL.toNanos();
			while (!this.stopped.isStopped()) {
				PGNotification[] notifications = postgres.getNotifications(RECEIVE_TIMEOUT_MILLIS);
				if (notifications != null && notifications.length > 0) {
					this.wake.run();
				}
				if (System.nanoTime() - nextCheck > 0) {
					if (!connection.isValid(5)) {
						throw new SQLException("The connection listening on '" + this.channel + "' is broken");
					}
					nextCheck = System.nanoTime() + CHECK_INTERVAL.toNanos();
				}
			}
		}
		finally {
			unlistenQuietly(connection);
		}
	}

	private void unlistenQuietly(Connection connection) {
		// a pooled connection goes back to the pool; it must not keep listening there
		try (Statement statement = connection.createStatement()) {
			statement.execute("UNLISTEN *");
		}
		catch (SQLException ex) {
			logger.debug("UNLISTEN failed", ex);
		}
	}

}
