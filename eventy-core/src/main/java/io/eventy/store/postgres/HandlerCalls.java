package io.eventy.store.postgres;

import java.sql.SQLException;
import java.util.function.BooleanSupplier;

import io.eventy.context.EventyContextHolder;
import io.eventy.handler.HandlerDispatcher;
import io.eventy.store.StoredRecord;
import io.eventy.store.postgres.SubscriptionRecordReader.ReadRecord;
import io.eventy.store.postgres.SubscriptionTransactions.Claim;
import io.eventy.store.postgres.SubscriptionTransactions.Outcome;
import io.eventy.store.postgres.SubscriptionTransactions.SubscriptionDatabaseException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the records a subscription reads to its {@link HandlerDispatcher}: a record that
 * cannot be read fails at once, without a call; a readable one is dispatched either on
 * its own or in {@link SubscriptionTransactions claimed transactions}.
 * <p>
 * A handler that leaves its thread interrupted (such as code that swallows an
 * {@link InterruptedException} and sets the flag again) has its flag cleared after the
 * call: the worker's waits and database calls would fail on it and stop the subscription.
 * Only a worker that is stopping keeps it.
 */
final class HandlerCalls {

	private static final Logger logger = LoggerFactory.getLogger(HandlerCalls.class);

	private final HandlerDispatcher dispatcher;

	private final SubscriptionTransactions transactions;

	private final SubscriptionActivity.Tracker activity;

	private final DatabaseCallWatch databaseCalls;

	private final BooleanSupplier stopping;

	HandlerCalls(HandlerDispatcher dispatcher, SubscriptionTransactions transactions,
			SubscriptionActivity.Tracker activity, DatabaseCallWatch databaseCalls, BooleanSupplier stopping) {
		this.dispatcher = dispatcher;
		this.transactions = transactions;
		this.activity = activity;
		this.databaseCalls = databaseCalls;
		this.stopping = stopping;
	}

	/**
	 * Run a call of the handler, whose time does not count as the worker's database work.
	 */
	private void handling(Runnable call, ReadRecord record) {
		this.databaseCalls.returned();
		try {
			call.run();
		}
		finally {
			clearInterrupt(record);
			this.databaseCalls.start();
		}
	}

	/**
	 * Run a call of the handler with no transaction of the worker's.
	 */
	private @Nullable Throwable direct(Runnable call, ReadRecord record) {
		try {
			handling(call, record);
			return null;
		}
		catch (Throwable ex) {
			return ex;
		}
	}

	/**
	 * Clear the interrupt flag a handler left set, unless the worker is stopping.
	 */
	private void clearInterrupt(ReadRecord record) {
		if (!Thread.currentThread().isInterrupted() || this.stopping.getAsBoolean()) {
			return;
		}
		Thread.interrupted();
		try (EventyContextHolder.Scope scope = record.openScope()) {
			logger.warn(
					"Subscription '{}': handler {} left its thread interrupted on record at position {}; "
							+ "the interrupt is cleared so that the subscription goes on",
					this.dispatcher.subscription(), this.dispatcher.endpoint().handlerName(), record.key().position());
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
		return noted(this.dispatcher.dispatch(stored, (call) -> direct(call, record)));
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
					Outcome outcome = this.transactions.claimed(claim, () -> handling(call, record));
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
