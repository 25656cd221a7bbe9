package io.eventy.store.postgres;

import java.sql.SQLException;
import java.util.function.BooleanSupplier;

import io.eventy.store.postgres.SubscriptionRecordReader.Batch;
import io.eventy.store.postgres.SubscriptionRecordReader.ReadRecord;
import io.eventy.store.postgres.SubscriptionTransactions.Outcome;

/**
 * {@link io.eventy.handler.Guarantee#EXACTLY_ONCE}: handle each record in its own
 * {@link SubscriptionTransactions claimed transaction}, which runs the handler and then
 * moves the checkpoint past the record as the segment's owner: the handler's JDBC writes,
 * the records it returns and the checkpoint commit together or not at all. Records the
 * handler does not take cost no transaction: the checkpoint passes them with the next
 * move.
 * <p>
 * A failed call rolls all of it back and is tried again after a backoff; after the last
 * attempt the record becomes a dead letter in the transaction that moves the checkpoint
 * past it.
 */
final class ExactlyOnceDelivery implements BatchDelivery {

	private final SubscriptionCheckpoint checkpoint;

	private final HandlerCalls calls;

	private final SubscriptionRetries retries;

	private final DeadLettering deadLettering;

	private final BooleanSupplier running;

	ExactlyOnceDelivery(SubscriptionCheckpoint checkpoint, HandlerCalls calls, SubscriptionRetries retries,
			DeadLettering deadLettering, BooleanSupplier running) {
		this.checkpoint = checkpoint;
		this.calls = calls;
		this.retries = retries;
		this.deadLettering = deadLettering;
		this.running = running;
	}

	@Override
	public NextStep deliver(Checkpoint start, Batch batch) throws SQLException {
		RecordKey done = start.key();
		RecordKey looked = done;
		for (ReadRecord record : batch.records()) {
			if (!this.running.getAsBoolean()) {
				return this.checkpoint.moveTo(done, looked, NextStep.CONTINUE);
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
				return failed(start, expected, record, failure);
			}
			done = record.key();
			looked = done;
		}
		return this.checkpoint.moveTo(done, batch.full() ? looked : RecordKey.max(looked, batch.seen()),
				NextStep.afterBatch(batch));
	}

	private NextStep failed(Checkpoint start, RecordKey expected, ReadRecord record, Throwable failure)
			throws SQLException {
		int attempts = SubscriptionRetries.attemptsAfterFailure(start, expected);
		if (!this.retries.isFinal(failure, attempts, record)) {
			return this.retries.retryLater(expected, record, attempts, failure);
		}
		boolean moved = this.checkpoint.inTransaction((connection) -> {
			if (!this.checkpoint.advance(connection, expected, record.key())) {
				return false;
			}
			this.deadLettering.giveUp(connection, record, attempts, failure);
			return true;
		});
		return moved ? NextStep.CONTINUE : this.checkpoint.lost();
	}

}
