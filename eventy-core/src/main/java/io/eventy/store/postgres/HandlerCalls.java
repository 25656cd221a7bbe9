package io.eventy.store.postgres;

import java.sql.SQLException;

import io.eventy.handler.HandlerDispatcher;
import io.eventy.store.StoredRecord;
import io.eventy.store.postgres.SubscriptionRecordReader.ReadRecord;
import io.eventy.store.postgres.SubscriptionTransactions.Claim;
import io.eventy.store.postgres.SubscriptionTransactions.Outcome;
import io.eventy.store.postgres.SubscriptionTransactions.SubscriptionDatabaseException;
import org.jspecify.annotations.Nullable;

/**
 * Hands the records a subscription reads to its {@link HandlerDispatcher}: a record that
 * cannot be read fails at once, without a call; a readable one is dispatched either on
 * its own or in {@link SubscriptionTransactions claimed transactions}.
 */
final class HandlerCalls {

	private final HandlerDispatcher dispatcher;

	private final SubscriptionTransactions transactions;

	private final SubscriptionActivity.Tracker activity;

	private final DatabaseCallWatch databaseCalls;

	HandlerCalls(HandlerDispatcher dispatcher, SubscriptionTransactions transactions,
			SubscriptionActivity.Tracker activity, DatabaseCallWatch databaseCalls) {
		this.dispatcher = dispatcher;
		this.transactions = transactions;
		this.activity = activity;
		this.databaseCalls = databaseCalls;
	}

	/**
	 * Run a call of the handler, whose time does not count as the worker's database work.
	 */
	private void handling(Runnable call) {
		this.databaseCalls.returned();
		try {
			call.run();
		}
		finally {
			this.databaseCalls.start();
		}
	}

	private @Nullable Throwable noted(@Nullable Throwable failure) {
		if (failure == null) {
			this.activity.handled();
		}
		else {
			this.activity.failed(failure);
		}
		return failure;
	}

	/**
	 * Return whether the handler takes a record: its name matches the handler's and it is
	 * routed to this service (a response addressed to it, a request in a namespace no
	 * other declared service owns). A record that cannot be read is taken, so that its
	 * call makes it a dead letter.
	 * @param record the record
	 * @return whether the handler takes it
	 */
	boolean selects(ReadRecord record) {
		if (!this.dispatcher.endpoint().accepts(record.qualifiedName())) {
			return false;
		}
		StoredRecord stored = record.record();
		return stored == null || this.dispatcher.endpoint().accepts(stored.record());
	}

	/**
	 * Call the handler, or answer a request's failure with an error response.
	 * @param record the record
	 * @return {@code null} on success, else the failure
	 */
	@Nullable Throwable call(ReadRecord record) {
		StoredRecord stored = record.record();
		if (stored == null) {
			return noted(new IllegalStateException(record.unreadable()));
		}
		this.databaseCalls.returned();
		try {
			return noted(this.dispatcher.dispatch(stored));
		}
		finally {
			this.databaseCalls.start();
		}
	}

	/**
	 * Call the handler in a claimed transaction; when it fails on a request, answer it in
	 * a second such transaction.
	 * @param record the record
	 * @param claim the claim each transaction makes after its work
	 * @return how the call went
	 * @throws SQLException if the worker's own statements fail
	 */
	Outcome callClaimed(ReadRecord record, Claim claim) throws SQLException {
		StoredRecord stored = record.record();
		if (stored == null) {
			return Outcome.failed(noted(new IllegalStateException(record.unreadable())));
		}
		try {
			return Outcome.failed(noted(this.dispatcher.dispatch(stored, (call) -> {
				try {
					// the transaction's begin, claim and commit are the worker's database
					// work
					Outcome outcome = this.transactions.claimed(claim, () -> handling(call));
					if (outcome.lost()) {
						throw new ClaimLostException();
					}
					return outcome.failure();
				}
				catch (SQLException ex) {
					throw new SubscriptionDatabaseException(ex);
				}
			})));
		}
		catch (ClaimLostException ex) {
			return Outcome.LOST;
		}
		catch (SubscriptionDatabaseException ex) {
			throw ex.getCause();
		}
	}

	/**
	 * Stops a dispatch whose claim did not hold: another instance owns the segment.
	 */
	private static final class ClaimLostException extends RuntimeException {

		ClaimLostException() {
			super(null, null, false, false);
		}

	}

}
