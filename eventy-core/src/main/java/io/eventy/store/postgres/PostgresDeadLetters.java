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

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * The {@link DeadLetters} of subscriptions on PostgreSQL, in the
 * {@code <prefix>dead_letters} table. Both calls join the caller's transaction on the
 * {@code DataSource}, if any; {@link #redrive(String)} wakes the subscriptions of every
 * instance through the store's notification channel.
 * <p>
 * A dead letter's {@link DeadLetter#id() id} is its record's position, and its
 * {@link DeadLetter#json() JSON} the protocol JSON of the record's row, built from the
 * columns without reading them as a record: a row that is not a valid record (written by
 * another tool or an older version) is listed too, with why it cannot be read.
 */
public final class PostgresDeadLetters implements DeadLetters {

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
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try {
			return this.table.list(connection, subscription);
		}
		catch (SQLException ex) {
			throw new DataAccessResourceFailureException(
					"Could not list the dead letters of subscription '" + subscription + "'", ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

	@Override
	public int redrive(String subscription) {
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try {
			// on a pool that does not auto-commit, a transaction that is not the caller's
			// is ours to commit: the pool would roll it back
			boolean ownTransaction = !connection.getAutoCommit()
					&& !CallerTransaction.owns(connection, this.dataSource);
			int count = this.table.redrive(connection, subscription);
			if (count > 0) {
				try (PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, '')")) {
					statement.setString(1, this.channel);
					statement.execute();
				}
			}
			if (ownTransaction) {
				connection.commit();
			}
			return count;
		}
		catch (SQLException ex) {
			throw new DataAccessResourceFailureException(
					"Could not re-drive the dead letters of subscription '" + subscription + "'", ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

	@Override
	public boolean redrive(String subscription, UUID uuid) {
		throw new UnsupportedOperationException("not yet built");
	}

	@Override
	public boolean discard(String subscription, UUID uuid) {
		throw new UnsupportedOperationException("not yet built");
	}

	@Override
	public int discard(String subscription) {
		throw new UnsupportedOperationException("not yet built");
	}

}
