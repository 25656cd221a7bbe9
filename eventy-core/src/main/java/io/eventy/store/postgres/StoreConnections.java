package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Statements of the store's operations on a connection of their own, outside any Spring
 * transaction: a read in auto-commit, a write in a transaction of its own. A database
 * failure becomes a {@link DataAccessResourceFailureException} that says what could not
 * be done.
 */
final class StoreConnections {

	private StoreConnections() {
	}

	/**
	 * Run statements that read, in auto-commit.
	 * @param <T> what they return
	 * @param dataSource the store's data source
	 * @param what what they do, for the message: {@code Could not <what>}
	 * @param work the statements
	 * @return what they returned
	 */
	static <T> T read(DataSource dataSource, String what, Work<T> work) {
		try (Connection connection = dataSource.getConnection()) {
			connection.setAutoCommit(true);
			return work.run(connection);
		}
		catch (SQLException ex) {
			throw new DataAccessResourceFailureException("Could not " + what, ex);
		}
	}

	/**
	 * Run statements that write, in one transaction, rolled back when they fail.
	 * @param <T> what they return
	 * @param dataSource the store's data source
	 * @param what what they do, for the message: {@code Could not <what>}
	 * @param work the statements
	 * @return what they returned, once committed
	 */
	static <T> T write(DataSource dataSource, String what, Work<T> work) {
		try (Connection connection = dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try {
				T result = work.run(connection);
				connection.commit();
				return result;
			}
			catch (SQLException | RuntimeException ex) {
				connection.rollback();
				throw ex;
			}
			finally {
				connection.setAutoCommit(true);
			}
		}
		catch (SQLException ex) {
			throw new DataAccessResourceFailureException("Could not " + what, ex);
		}
	}

	/**
	 * Statements on a connection.
	 *
	 * @param <T> what they return
	 */
	@FunctionalInterface
	interface Work<T> {

		T run(Connection connection) throws SQLException;

	}

}
