package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import javax.sql.DataSource;

import io.eventy.handler.DeadLetter;
import io.eventy.handler.DeadLetters;
import io.eventy.record.PayloadConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * The {@link DeadLetters} of subscriptions on PostgreSQL, in the
 * {@code <prefix>dead_letters} table. Every call joins the caller's transaction on the
 * {@code DataSource}, if any; a re-drive wakes the subscriptions of every instance
 * through the store's notification channel. Paging and counting are done by the database.
 * A dead letter is named by its record's uuid.
 * <p>
 * A subscription name this service does not run is not an error: the table is read as it
 * is, so the dead letters of a renamed or deleted subscription can be listed and
 * discarded too (see {@code Subscriptions#abandoned()}); a name that has none lists
 * nothing, counts {@code 0}, and re-drives or discards nothing ({@code 0} or
 * {@code false}).
 * <p>
 * A dead letter's {@link DeadLetter#id() id} is its record's position, and its
 * {@link DeadLetter#json() JSON} the protocol JSON of the record's row, built from the
 * columns without reading them as a record: a row that is not a valid record (written by
 * another tool or an older version) is listed too, with why it cannot be read.
 */
public final class PostgresDeadLetters implements DeadLetters {

	private static final Logger logger = LoggerFactory.getLogger(PostgresDeadLetters.class);

	private final DataSource dataSource;

	private final DeadLetterTable table;

	private final String channel;

	/**
	 * Create the dead letters.
	 * @param dataSource the database
	 * @param settings schema and table prefix
	 * @param converter reads payloads of the listed records
	 */
	public PostgresDeadLetters(DataSource dataSource, PostgresStoreSettings settings, PayloadConverter converter) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
		this.table = new DeadLetterTable(settings, new SubscriptionRecordReader(settings, converter));
		this.channel = settings.notificationChannel();
	}

	@Override
	public List<DeadLetter> list(String subscription) {
		return run("list the dead letters", subscription, false,
				(connection) -> this.table.list(connection, subscription));
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * One query, with {@code OFFSET} and {@code LIMIT}.
	 */
	@Override
	public List<DeadLetter> list(String subscription, int offset, int limit) {
		return run("list the dead letters", subscription, false,
				(connection) -> this.table.list(connection, subscription, offset, limit));
	}

	@Override
	public long count(String subscription) {
		return run("count the dead letters", subscription, false,
				(connection) -> this.table.count(connection, subscription));
	}

	@Override
	public int redrive(String subscription) {
		return run("re-drive the dead letters", subscription, true, (connection) -> {
			int count = this.table.redrive(connection, subscription);
			if (count > 0) {
				notify(connection);
			}
			return count;
		});
	}

	@Override
	public boolean redrive(String subscription, UUID uuid) {
		return run("re-drive dead letter " + uuid, subscription, true, (connection) -> {
			boolean found = this.table.redrive(connection, subscription, uuid);
			if (found) {
				notify(connection);
			}
			return found;
		});
	}

	@Override
	public boolean discard(String subscription, UUID uuid) {
		boolean found = run("discard dead letter " + uuid, subscription, true,
				(connection) -> this.table.discard(connection, subscription, uuid));
		if (found) {
			logger.info("Discarded the dead letter of record {} of subscription '{}'", uuid, subscription);
		}
		return found;
	}

	@Override
	public int discard(String subscription) {
		int count = run("discard the dead letters", subscription, true,
				(connection) -> this.table.discard(connection, subscription));
		if (count > 0) {
			logger.info("Discarded {} dead letter(s) of subscription '{}'", count, subscription);
		}
		return count;
	}

	private void notify(Connection connection) throws SQLException {
		// wakes the subscriptions of every instance, so the owner of the first segment
		// looks for re-driven dead letters now
		try (PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, '')")) {
			statement.setString(1, this.channel);
			statement.execute();
		}
	}

	private <T> T run(String what, String subscription, boolean writes, Work<T> work) {
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try {
			// on a pool that does not auto-commit, a transaction that is not the caller's
			// is ours to commit: the pool would roll it back
			boolean ownTransaction = writes && !connection.getAutoCommit()
					&& !CallerTransaction.owns(connection, this.dataSource);
			T result = work.run(connection);
			if (ownTransaction) {
				connection.commit();
			}
			return result;
		}
		catch (SQLException ex) {
			throw new DataAccessResourceFailureException(
					"Could not " + what + " of subscription '" + subscription + "'", ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

	/**
	 * Statements on the connection of a call.
	 *
	 * @param <T> what they return
	 */
	@FunctionalInterface
	private interface Work<T> {

		T run(Connection connection) throws SQLException;

	}

}
