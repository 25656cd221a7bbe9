package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.eventy.context.EventyContextHolder;
import io.eventy.handler.Guarantee;
import io.eventy.handler.HandlerDispatcher;
import io.eventy.store.postgres.DeadLetterTable.Pending;
import io.eventy.store.postgres.SubscriptionRecordReader.ReadRecord;
import io.eventy.store.postgres.SubscriptionTransactions.Outcome;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles a subscription's dead letters that were put back in line, one per step, with
 * the subscription's guarantee, and retries one that fails like a new record; one that
 * keeps failing is dead again. They are looked for whenever the subscription was idle,
 * and at least once in {@value #CHECK_STEPS} steps while it works through a backlog, by
 * the owner of the subscription's first segment. As for records, no transaction is open
 * while the handler runs unless the guarantee needs one.
 */
final class DeadLetterRedrive {

	private static final Logger logger = LoggerFactory.getLogger(DeadLetterRedrive.class);

	private static final int CHECK_STEPS = 50;

	private final Guarantee guarantee;

	private final DataSource dataSource;

	private final DeadLetterTable deadLetters;

	private final String subscription;

	private final HandlerCalls calls;

	private final SubscriptionRetries retries;

	private final DeadLettering deadLettering;

	private int stepsSinceCheck = CHECK_STEPS;

	DeadLetterRedrive(Guarantee guarantee, DataSource dataSource, DeadLetterTable deadLetters, String subscription,
			HandlerCalls calls, SubscriptionRetries retries, DeadLettering deadLettering) {
		this.guarantee = guarantee;
		this.dataSource = dataSource;
		this.deadLetters = deadLetters;
		this.subscription = subscription;
		this.calls = calls;
		this.retries = retries;
		this.deadLettering = deadLettering;
	}

	/**
	 * Look for a re-driven dead letter at the next step.
	 */
	void checkNextStep() {
		this.stepsSinceCheck = CHECK_STEPS;
	}

	/**
	 * Count a step, and return whether to look for a re-driven dead letter in this one.
	 * @return whether to call {@link #handleDue()}
	 */
	boolean due() {
		if (++this.stepsSinceCheck < CHECK_STEPS) {
			return false;
		}
		this.stepsSinceCheck = 0;
		return true;
	}

	/**
	 * Handle the oldest re-driven dead letter, if there is one.
	 * @return what the worker does next, or {@code null} when none was handled
	 * @throws SQLException if the worker's own statements fail
	 */
	@Nullable NextStep handleDue() throws SQLException {
		Pending pending;
		try (Connection connection = connection()) {
			pending = this.deadLetters.nextRedrive(connection, this.subscription);
		}
		if (pending == null) {
			return null;
		}
		checkNextStep();
		try (EventyContextHolder.Scope scope = pending.record().openScope()) {
			return handle(pending);
		}
	}

	private NextStep handle(Pending pending) throws SQLException {
		logger.info("Subscription '{}' handles re-driven dead letter at position {}", this.subscription,
				pending.record().key().position());
		Throwable failure = switch (this.guarantee) {
			case AT_LEAST_ONCE -> atLeastOnce(pending);
			case AT_MOST_ONCE -> atMostOnce(pending);
			case EXACTLY_ONCE -> exactlyOnce(pending);
		};
		return (failure != null) ? failedAgain(pending, failure) : NextStep.CONTINUE;
	}

	private Connection connection() throws SQLException {
		Connection connection = this.dataSource.getConnection();
		connection.setAutoCommit(true);
		return connection;
	}

	/**
	 * Call the handler, then remove the dead letter.
	 */
	private @Nullable Throwable atLeastOnce(Pending pending) throws SQLException {
		Throwable failure = this.calls.call(pending.record());
		if (failure == null) {
			try (Connection connection = connection()) {
				this.deadLetters.delete(connection, pending.id());
			}
		}
		return failure;
	}

	/**
	 * Remove the dead letter at once, then call the handler; a failure makes it a dead
	 * letter again without retries.
	 */
	private @Nullable Throwable atMostOnce(Pending pending) throws SQLException {
		try (Connection claims = connection()) {
			if (this.deadLetters.delete(claims, pending.id())) {
				Throwable failure = this.calls.call(pending.record());
				if (failure != null) {
					this.deadLettering.giveUpPassed(pending.record(), pending.attempts() + 1, failure);
				}
			}
		}
		return null;
	}

	/**
	 * Call the handler and remove the dead letter in one claimed transaction.
	 */
	private @Nullable Throwable exactlyOnce(Pending pending) throws SQLException {
		Outcome outcome = this.calls.callClaimed(pending.record(),
				(connection) -> this.deadLetters.delete(connection, pending.id()));
		return outcome.failure();
	}

	private NextStep failedAgain(Pending pending, Throwable failure) throws SQLException {
		ReadRecord record = pending.record();
		int attempts = pending.redriveAttempts() + 1;
		boolean retry = !this.retries.isFinal(failure, attempts, record);
		try (Connection connection = connection()) {
			this.deadLetters.redriveFailed(connection, pending.id(), attempts, HandlerDispatcher.describe(failure),
					retry);
		}
		if (retry) {
			logger.warn(
					"Subscription '{}': re-driven dead letter at position {} failed again (attempt {} of {}), "
							+ "next attempt in {}: {}",
					this.subscription, record.key().position(), attempts, this.retries.policy().maxAttempts(),
					this.retries.policy().backoff(attempts), HandlerDispatcher.describe(failure));
			return NextStep.backoff(this.retries.policy().backoff(attempts));
		}
		logger.error("Subscription '{}' gave up on re-driven dead letter at position {} again after {} attempts",
				this.subscription, record.key().position(), attempts, failure);
		return NextStep.CONTINUE;
	}

}
