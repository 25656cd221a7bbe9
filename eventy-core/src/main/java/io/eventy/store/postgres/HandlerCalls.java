package io.eventy.store.postgres;

import java.sql.SQLException;
import java.time.Duration;

import io.eventy.handler.HandlerEndpoint;
import io.eventy.handler.HandlerObserver;
import io.eventy.store.StoredRecord;
import io.eventy.store.postgres.SubscriptionRecordReader.ReadRecord;
import io.eventy.store.postgres.SubscriptionTransactions.Claim;
import io.eventy.store.postgres.SubscriptionTransactions.Outcome;
import org.jspecify.annotations.Nullable;

/**
 * Calls a subscription's handler on the records it reads. A record that cannot be read
 * fails at once, without a call; a request whose handler throws is answered with an error
 * response, which counts as handled. A call runs either on its own or in a
 * {@link SubscriptionTransactions claimed transaction}. Each call is timed, and each
 * success counted, for the {@link HandlerObserver}.
 */
final class HandlerCalls {

	private final HandlerEndpoint endpoint;

	private final SubscriptionTransactions transactions;

	private final HandlerObserver observer;

	HandlerCalls(HandlerEndpoint endpoint, SubscriptionTransactions transactions, HandlerObserver observer) {
		this.endpoint = endpoint;
		this.transactions = transactions;
		this.observer = observer;
	}

	/**
	 * Return whether the handler takes a record.
	 * @param record the record
	 * @return whether its name matches the handler's
	 */
	boolean selects(ReadRecord record) {
		return this.endpoint.accepts(record.qualifiedName());
	}

	/**
	 * Call the handler, or answer a request's failure with an error response.
	 * @param record the record
	 * @return {@code null} on success, else the failure
	 */
	@Nullable Throwable call(ReadRecord record) {
		StoredRecord stored = record.record();
		if (stored == null) {
			return new IllegalStateException(record.unreadable());
		}
		long start = System.nanoTime();
		Throwable failure = call(stored);
		observed(start, failure);
		return failure;
	}

	private @Nullable Throwable call(StoredRecord stored) {
		try {
			this.endpoint.handle(stored);
			return null;
		}
		catch (Throwable ex) {
			if (!this.endpoint.answersFailures(stored)) {
				return ex;
			}
			try {
				this.endpoint.answerFailure(stored, ex);
				return null;
			}
			catch (Throwable answerFailure) {
				answerFailure.addSuppressed(ex);
				return answerFailure;
			}
		}
	}

	/**
	 * Call the handler in a claimed transaction; when it fails on a request, answer it in
	 * a second such transaction.
	 * @param record the record
	 * @param claim the claim each transaction makes first
	 * @return how the call went
	 * @throws SQLException if the worker's own statements fail
	 */
	Outcome callClaimed(ReadRecord record, Claim claim) throws SQLException {
		StoredRecord stored = record.record();
		if (stored == null) {
			return Outcome.failed(new IllegalStateException(record.unreadable()));
		}
		long start = System.nanoTime();
		Outcome outcome = this.transactions.claimed(claim, () -> this.endpoint.handle(stored));
		Throwable failure = outcome.failure();
		if (failure != null && this.endpoint.answersFailures(stored)) {
			outcome = this.transactions.claimed(claim, () -> this.endpoint.answerFailure(stored, failure));
			if (outcome.failure() != null) {
				outcome.failure().addSuppressed(failure);
			}
		}
		if (!outcome.lost()) {
			observed(start, outcome.failure());
		}
		return outcome;
	}

	private void observed(long start, @Nullable Throwable failure) {
		String subscription = this.endpoint.subscription();
		this.observer.called(subscription, Duration.ofNanos(System.nanoTime() - start), failure == null);
		if (failure == null) {
			this.observer.handled(subscription, HandlerObserver.Outcome.SUCCESS);
		}
	}

}
