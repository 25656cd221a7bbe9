package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a subscription's work in transactions of the application's transaction manager on
 * the store's {@code DataSource}, so that a handler's own JDBC writes and the records it
 * stores join them. The work runs first, then the worker's claim on the transaction's
 * connection (move the checkpoint as the segment's owner, remove a dead letter); when the
 * claim does not hold, because another instance took the segment over, everything rolls
 * back. The checkpoint's row is locked only from the claim to the commit.
 * <p>
 * A failure of the worker's own statements is a database failure, thrown as such; a
 * failure of the work is an {@link Outcome}.
 */
final class SubscriptionTransactions {

	private final DataSource dataSource;

	private final TransactionTemplate transactions;

	SubscriptionTransactions(DataSource dataSource, TransactionTemplate transactions) {
		this.dataSource = dataSource;
		this.transactions = transactions;
	}

	/**
	 * Run the work, then make a claim, in one transaction.
	 * @param claim the claim
	 * @param work the work, rolled back unless the claim holds
	 * @return how it went: {@link Outcome#LOST} when the claim failed, else the work's
	 * failure if any
	 * @throws SQLException if the worker's own statements fail
	 */
	Outcome claimed(Claim claim, Runnable work) throws SQLException {
		try {
			Boolean claimed = this.transactions.execute((status) -> {
				work.run();
				if (!withBoundConnection(claim)) {
					status.setRollbackOnly();
					return false;
				}
				return true;
			});
			return Boolean.TRUE.equals(claimed) ? Outcome.DONE : Outcome.LOST;
		}
		catch (SubscriptionDatabaseException ex) {
			throw ex.getCause();
		}
		catch (Throwable ex) {
			return Outcome.failed(ex);
		}
	}

	private boolean withBoundConnection(Claim statements) {
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try {
			return statements.claim(connection);
		}
		catch (SQLException ex) {
			throw new SubscriptionDatabaseException(ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

	/**
	 * Statements that claim a record inside a transaction.
	 */
	@FunctionalInterface
	interface Claim {

		/**
		 * Make the claim.
		 * @param connection the transaction's connection
		 * @return whether the claim holds; {@code false} when another worker got there
		 * first
		 * @throws SQLException if the database fails
		 */
		boolean claim(Connection connection) throws SQLException;

	}

	/**
	 * How a transactional call went.
	 *
	 * @param lost whether the claim failed, so nothing was done
	 * @param failure what the work threw, or {@code null}
	 */
	record Outcome(boolean lost, @Nullable Throwable failure) {

		static final Outcome DONE = new Outcome(false, null);

		static final Outcome LOST = new Outcome(true, null);

		static Outcome failed(@Nullable Throwable failure) {
			return (failure != null) ? new Outcome(false, failure) : DONE;
		}

	}

	/**
	 * Carries a database failure of the worker's own statements out of a transaction
	 * callback.
	 */
	static final class SubscriptionDatabaseException extends RuntimeException {

		SubscriptionDatabaseException(SQLException cause) {
			super(cause);
		}

		@Override
		public synchronized SQLException getCause() {
			return (SQLException) super.getCause();
		}

	}

}
