package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes the subscriptions of every instance once records are committed: a
 * {@code pg_notify} on the store's channel, sent right after the commit by a thread of
 * its own, on a connection it borrows from the store's {@code DataSource} for the
 * statement.
 * <p>
 * Why not in the appending transaction: PostgreSQL serialises the commits of all
 * transactions that notify (a notifying commit holds a database-wide lock until it is
 * durable), so a {@code NOTIFY} in every append would queue concurrent appends behind
 * each other's WAL flush, and add the notification queue's work to every append. Sent
 * afterwards, one notification covers every commit of the {@value #GATHER_MICROS} µs
 * after the first one it is for: at most one per appending transaction, far fewer under
 * load, for at most a millisecond more latency. A notification lost (the process stops
 * right after a commit, the database is unreachable) delays the records until the
 * subscriptions' next poll; nothing is lost.
 */
final class RecordNotifier implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RecordNotifier.class);

	private static final long IDLE_THREAD_SECONDS = 10;

	/** How long a notification waits for more commits to cover. */
	static final long GATHER_MICROS = 1000;

	private final DataSource dataSource;

	private final String channel;

	private final AtomicBoolean scheduled = new AtomicBoolean();

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong sent = new AtomicLong();

	private final ScheduledThreadPoolExecutor sender;

	private volatile boolean failing;

	RecordNotifier(DataSource dataSource, String channel) {
		this.dataSource = dataSource;
		this.channel = channel;
		this.sender = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "eventy-notify");
			thread.setDaemon(true);
			return thread;
		});
		this.sender.setKeepAliveTime(IDLE_THREAD_SECONDS, TimeUnit.SECONDS);
		this.sender.allowCoreThreadTimeOut(true);
	}

	/**
	 * Notify once the records written on a connection are committed: now when they are
	 * (the store's own transaction), after the commit of the caller's Spring transaction,
	 * or, in a transaction Spring does not manage, with the commit itself.
	 * @param connection the connection that wrote the records
	 * @param committed whether the records are committed already
	 * @throws SQLException if the connection fails
	 */
	void recordsWritten(Connection connection, boolean committed) throws SQLException {
		if (committed) {
			committed();
		}
		else if (TransactionSynchronizationManager.isSynchronizationActive()) {
			for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
				if (synchronization instanceof AfterCommit afterCommit && afterCommit.notifier() == this) {
					return;
				}
			}
			TransactionSynchronizationManager.registerSynchronization(new AfterCommit(this));
		}
		else {
			// PostgreSQL delivers it if, and when, the transaction commits
			notify(connection);
		}
	}

	/**
	 * Send a notification after the records committed until now. Cheap when one is about
	 * to be sent anyway.
	 */
	void committed() {
		this.requests.incrementAndGet();
		if (this.scheduled.compareAndSet(false, true)) {
			try {
				this.sender.schedule(this::send, GATHER_MICROS, TimeUnit.MICROSECONDS);
			}
			catch (RejectedExecutionException ex) {
				this.scheduled.set(false);
				logger.debug("Eventy store closed: no notification sent on channel '{}'", this.channel);
			}
		}
	}

	/**
	 * Return how many commits asked for a notification so far.
	 * @return the number of requests
	 */
	long requests() {
		return this.requests.get();
	}

	/**
	 * Return how many notifications were sent so far.
	 * @return the number sent
	 */
	long sent() {
		return this.sent.get();
	}

	/**
	 * Return whether a notification is waiting to be sent.
	 * @return {@code true} until the next one is on its way
	 */
	boolean isScheduled() {
		return this.scheduled.get();
	}

	private void send() {
		// a commit from now on schedules another notification
		this.scheduled.set(false);
		try (Connection connection = this.dataSource.getConnection()) {
			notify(connection);
			if (!connection.getAutoCommit()) {
				connection.commit();
			}
			this.sent.incrementAndGet();
			if (this.failing) {
				this.failing = false;
				logger.info("Eventy sends notifications on channel '{}' again", this.channel);
			}
		}
		catch (SQLException | RuntimeException ex) {
			if (!this.failing) {
				this.failing = true;
				logger.warn("Eventy could not notify channel '{}'; subscriptions find the new records at their next "
						+ "poll instead", this.channel, ex);
			}
			else {
				logger.debug("Eventy could not notify channel '{}'", this.channel, ex);
			}
		}
	}

	private void notify(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, '')")) {
			statement.setString(1, this.channel);
			statement.execute();
		}
	}

	/**
	 * Stop the sender thread after the notifications already asked for.
	 */
	@Override
	public void close() {
		this.sender.shutdown();
		try {
			this.sender.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Notifies after the commit of the Spring transaction it is registered with.
	 */
	private record AfterCommit(RecordNotifier notifier) implements TransactionSynchronization {

		@Override
		public void afterCommit() {
			this.notifier.committed();
		}

	}

}
