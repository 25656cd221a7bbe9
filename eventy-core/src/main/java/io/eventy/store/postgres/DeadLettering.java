package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;

import javax.sql.DataSource;

import io.eventy.context.EventyContextHolder;
import io.eventy.handler.HandlerDispatcher;
import io.eventy.store.postgres.SubscriptionRecordReader.ReadRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives up on a record for one subscription: stores it in the {@link DeadLetterTable},
 * where it can be listed and re-driven, and has the {@link HandlerDispatcher} log it and
 * tell the observer.
 * <p>
 * A record whose checkpoint passed it before its handler ran ({@code AT_MOST_ONCE}) is
 * read no more: when the database refuses its dead letter, the dead letter is
 * {@link #giveUpPassed kept} in memory and written before the worker's next step, so that
 * an outage does not drop it without a trace.
 */
final class DeadLettering {

	private static final Logger logger = LoggerFactory.getLogger(DeadLettering.class);

	private final HandlerDispatcher dispatcher;

	private final DeadLetterTable deadLetters;

	private final DataSource dataSource;

	/** Dead letters of passed records that the database refused, oldest first. */
	private final Deque<Kept> kept = new ArrayDeque<>();

	/** The first of them, once its refusal was logged: each is logged once. */
	private @Nullable Kept announced;

	DeadLettering(HandlerDispatcher dispatcher, DeadLetterTable deadLetters, DataSource dataSource) {
		this.dispatcher = dispatcher;
		this.deadLetters = deadLetters;
		this.dataSource = dataSource;
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

	/**
	 * Make a record that the checkpoint has passed already a dead letter, on a connection
	 * of its own; when the database fails, keep it to be written before the next step.
	 * @param record the record
	 * @param attempts how many calls failed
	 * @param failure the last failure
	 * @throws SQLException if the database fails; the dead letter is kept
	 */
	void giveUpPassed(ReadRecord record, int attempts, Throwable failure) throws SQLException {
		this.kept.add(new Kept(record, attempts, failure));
		writeKept();
	}

	/**
	 * Write the dead letters the database refused before, oldest first.
	 * @throws SQLException if the database still fails; the rest stays kept
	 */
	void writeKept() throws SQLException {
		while (!this.kept.isEmpty()) {
			Kept next = this.kept.peek();
			try (Connection connection = this.dataSource.getConnection()) {
				connection.setAutoCommit(true);
				giveUp(connection, next.record(), next.attempts(), next.failure());
			}
			catch (SQLException ex) {
				if (next != this.announced) {
					this.announced = next;
					try (EventyContextHolder.Scope scope = next.record().openScope()) {
						logger.warn(
								"Subscription '{}': handler failed on record at position {} ({} {}), which is "
										+ "not handled again; its dead letter is written when the database is back",
								this.dispatcher.subscription(), next.record().key().position(),
								next.record().qualifiedName(), next.record().uuid(), next.failure());
					}
				}
				throw ex;
			}
			this.kept.remove();
		}
	}

	/**
	 * Try once more to write the dead letters the database refused, as the worker stops,
	 * and name each one that is lost.
	 */
	void writeKeptOnStop() {
		try {
			writeKept();
		}
		catch (SQLException ex) {
			for (Kept lost : this.kept) {
				try (EventyContextHolder.Scope scope = lost.record().openScope()) {
					logger.error(
							"Subscription '{}' stops without the dead letter of record at position {} ({} {}): "
									+ "its handler failed and the database refused the dead letter",
							this.dispatcher.subscription(), lost.record().key().position(),
							lost.record().qualifiedName(), lost.record().uuid(), lost.failure());
				}
			}
			this.kept.clear();
		}
	}

	/**
	 * A dead letter the database refused.
	 *
	 * @param record the record
	 * @param attempts how many calls failed
	 * @param failure the last failure
	 */
	private record Kept(ReadRecord record, int attempts, Throwable failure) {

	}

}
