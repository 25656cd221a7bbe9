package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.BooleanSupplier;

import io.eventy.store.postgres.SubscriptionRecordReader.Batch;
import io.eventy.store.postgres.SubscriptionRecordReader.ReadRecord;
import io.eventy.store.postgres.SubscriptionTransactions.Outcome;

/**
 * {@link io.eventy.handler.Guarantee#EXACTLY_ONCE}: handle each record in its own
 * {@link SubscriptionTransactions claimed transaction}, which first takes the lock and
 * moves the checkpoint past the record, then runs the handler: its JDBC writes, the
 * records it returns and the checkpoint commit together or not at all.
 * <p>
 * A failed call rolls all of it back and is tried again after a backoff; after the last
 * attempt the record becomes a dead letter in the transaction that moves the checkpoint
 * past it.
 */
final class ExactlyOnceDelivery implements BatchDelivery {

	private final SubscriptionCheckpoint checkpoint;

	private final HandlerCalls calls;

	private final SubscriptionTransactions transactions;

	private final SubscriptionRetries retries;

	private final DeadLettering deadLettering;

	private final BooleanSupplier running;

	ExactlyOnceDelivery(SubscriptionCheckpoint checkpoint, HandlerCalls calls, SubscriptionTransactions transactions,
			SubscriptionRetries retries, DeadLettering deadLettering, BooleanSupplier running) {
		this.checkpoint = checkpoint;
		this.calls = calls;
		this.transactions = transactions;
		this.retries = retries;
		this.deadLettering = deadLettering;
		this.running = running;
	}

	@Override
	public NextStep deliver(Connection lock, Checkpoint start, Batch batch) throws SQLException {
		// the lock connection's transaction ends here; each record takes the lock again
		lock.commit();
		RecordKey done = start.key();
		RecordKey looked = done;
		for (ReadRecord record : batch.records()) {
			if (!this.running.getAsBoolean()) {
				return this.checkpoint.moveTo(lock, done, looked, NextStep.CONTINUE);
			}
			if (!this.calls.selects(record)) {
				looked = record.key();
				continue;
			}
			RecordKey expected = done;
			Outcome outcome = this.calls.callClaimed(record,
					(connection) -> this.checkpoint.advance(connection, expected, record.key()));
			if (outcome.lost()) {
				return this.checkpoint.lost();
			}
			Throwable failure = outcome.failure();
			if (failure != null) {
				return failed(lock, start, expected, record, failure);
			}
			done = record.key();
			looked = done;
		}
		return this.checkpoint.moveTo(lock, done, batch.full() ? looked : RecordKey.max(looked, batch.seen()),
				NextStep.afterBatch(batch));
	}

	private NextStep failed(Connection lock, Checkpoint start, RecordKey expected, ReadRecord record, Throwable failure)
			throws SQLException {
		int attempts = SubscriptionRetries.attemptsAfterFailure(start, expected);
		if (!this.retries.isFinal(failure, attempts, record)) {
			return this.retries.retryLater(lock, expected, record, attempts, failure);
		}
		boolean moved = this.transactions.inTransaction((connection) -> {
			if (!this.checkpoint.advance(connection, expected, record.key())) {
				return false;
			}
			this.deadLettering.giveUp(connection, record, attempts, failure);
			return true;
		});
		return moved ? NextStep.CONTINUE : this.checkpoint.lost();
	}

}
