package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;

import io.eventy.context.EventyContextHolder;
import io.eventy.handler.FailureDescription;
import io.eventy.handler.HandlerObserver;
import io.eventy.store.postgres.SubscriptionRecordReader.ReadRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives up on a record for one subscription: stores it in the {@link DeadLetterTable},
 * where it can be listed and re-driven, logs it as an error and tells the
 * {@link HandlerObserver}.
 */
final class DeadLettering {

	private static final Logger logger = LoggerFactory.getLogger(DeadLettering.class);

	private final String subscription;

	private final DeadLetterTable deadLetters;

	private final HandlerObserver observer;

	DeadLettering(String subscription, DeadLetterTable deadLetters, HandlerObserver observer) {
		this.subscription = subscription;
		this.deadLetters = deadLetters;
		this.observer = observer;
	}

	/**
	 * Make a record a dead letter.
	 * @param connection the connection, in the transaction that moves the checkpoint past
	 * the record where the guarantee asks for it
	 * @param record the record
	 * @param attempts how many calls failed
	 * @param failure the last failure
	 * @throws SQLException if the database fails
	 */
	void giveUp(Connection connection, ReadRecord record, int attempts, Throwable failure) throws SQLException {
		this.deadLetters.insert(connection, this.subscription, record, attempts, FailureDescription.of(failure));
		try (EventyContextHolder.Scope scope = record.openScope()) {
			logger.error(
					"Subscription '{}' gave up on record at position {} ({} {}) after {} attempt(s); "
							+ "it is a dead letter now",
					this.subscription, record.key().position(), record.qualifiedName(), record.uuid(), attempts,
					failure);
		}
		this.observer.handled(this.subscription, HandlerObserver.Outcome.DEAD_LETTER);
	}

}
