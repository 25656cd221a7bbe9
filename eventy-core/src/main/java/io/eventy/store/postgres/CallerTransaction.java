package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells whether writes on a connection belong to the caller's Spring transaction, which
 * commits or rolls them back, or are the store's to commit.
 */
final class CallerTransaction {

	private CallerTransaction() {
	}

	/**
	 * Return whether a connection from {@code DataSourceUtils} runs in the caller's
	 * actual Spring transaction. Otherwise a connection that does not auto-commit holds a
	 * transaction nobody else commits (outside any Spring transaction, or in a scope
	 * without one such as {@code SUPPORTS}): the pool would roll it back.
	 * @param connection the connection
	 * @param dataSource where it came from
	 * @return {@code true} when the caller's transaction commits what is written
	 * @throws SQLException if the connection fails
	 */
	static boolean owns(Connection connection, DataSource dataSource) throws SQLException {
		return !connection.getAutoCommit() && TransactionSynchronizationManager.isActualTransactionActive()
				&& DataSourceUtils.isConnectionTransactional(connection, dataSource);
	}

}
