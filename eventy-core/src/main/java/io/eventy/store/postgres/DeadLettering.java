package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;

import io.eventy.context.EventyContextHolder;
import io.eventy.handler.HandlerDispatcher;
import io.eventy.store.postgres.SubscriptionRecordReader.ReadRecord;

/**
 * Gives up on a record for one subscription: stores it in the {@link DeadLetterTable},
 * where it can be listed and re-driven, and has the {@link HandlerDispatcher} log it and
 * tell the observer.
 */
final class DeadLettering {

	private final HandlerDispatcher dispatcher;

	private final DeadLetterTable deadLetters;

	DeadLettering(HandlerDispatcher dispatcher, DeadLetterTable deadLetters) {
		this.dispatcher = dispatcher;
		this.deadLetters = deadLetters;
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
		this.deadLetters.insert(connection, this.dispatcher.subscription(), record, attempts,
				HandlerDispatcher.describe(failure));
		try (EventyContextHolder.Scope scope = record.openScope()) {
			this.dispatcher.gaveUp("at position " + record.key().position(),
					record.qualifiedName() + " " + record.uuid(), attempts, "", failure);
		}
	}

}
