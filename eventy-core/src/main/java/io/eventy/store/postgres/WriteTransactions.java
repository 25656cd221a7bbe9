package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Runs the statements of an append or a publication and sees to their commit and
 * notification. In the caller's Spring transaction they commit with it, and the
 * notification follows its commit. Otherwise (also in a Spring scope without an actual
 * transaction, such as {@code SUPPORTS}) one statement on a connection that commits by
 * itself is its own transaction; several statements (or a connection that does not commit
 * by itself) run in a transaction of the store's, so that a race lost part way leaves
 * nothing behind and nothing is rolled back when the connection goes back to its pool.
 */
final class WriteTransactions {

	private final DataSource dataSource;

	private final RecordNotifier notifier;

	WriteTransactions(DataSource dataSource, RecordNotifier notifier) {
		this.dataSource = dataSource;
		this.notifier = notifier;
	}

	/**
	 * Run statements on a connection from {@code DataSourceUtils}: the caller's, when a
	 * Spring transaction holds one.
	 * @param <T> what the statements return
	 * @param severalStatements whether the writes may run more than one statement, which
	 * then need a transaction of their own outside the caller's
	 * @param writes the statements
	 * @return what they returned, once committed or joined to the caller's transaction
	 * @throws SQLException if a statement fails; the store's own transaction is rolled
	 * back then
	 */
	<T> T run(boolean severalStatements, Writes<T> writes) throws SQLException {
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try {
			return run(connection, severalStatements, writes);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

	private <T> T run(Connection connection, boolean severalStatements, Writes<T> writes) throws SQLException {
		if (CallerTransaction.owns(connection, this.dataSource)) {
			T written = writes.run(connection, true);
			this.notifier.recordsWritten(connection, false);
			return written;
		}
		boolean autoCommit = connection.getAutoCommit();
		if (autoCommit && !severalStatements) {
			T written = writes.run(connection, false);
			this.notifier.committed();
			return written;
		}
		if (autoCommit) {
			connection.setAutoCommit(false);
		}
		try {
			T written = writes.run(connection, false);
			connection.commit();
			this.notifier.committed();
			return written;
		}
		catch (SQLException | RuntimeException ex) {
			rollback(connection);
			throw ex;
		}
		finally {
			if (autoCommit) {
				connection.setAutoCommit(true);
			}
		}
	}

	private static void rollback(Connection connection) {
		try {
			connection.rollback();
		}
		catch (SQLException ex) {
			// the connection is broken; the transaction is gone with it
		}
	}

	/**
	 * The statements of one append or publication.
	 *
	 * @param <T> what they return
	 */
	@FunctionalInterface
	interface Writes<T> {

		/**
		 * Run the statements.
		 * @param connection the connection to run them on
		 * @param callersTransaction whether they join the caller's transaction, which a
		 * failed statement would abort
		 * @return what they wrote
		 * @throws SQLException if a statement fails
		 */
		T run(Connection connection, boolean callersTransaction) throws SQLException;

	}

}
