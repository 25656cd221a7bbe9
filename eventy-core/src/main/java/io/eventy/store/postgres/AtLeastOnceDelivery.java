package io.eventy.store.postgres;

import java.sql.SQLException;
import java.util.function.BooleanSupplier;

import io.eventy.store.postgres.SubscriptionRecordReader.Batch;
import io.eventy.store.postgres.SubscriptionRecordReader.ReadRecord;

/**
 * {@link io.eventy.handler.Guarantee#AT_LEAST_ONCE}: handle the records with no
 * transaction open, then move the checkpoint once for the whole batch; while catching up
 * (the batch is full), only every few batches ({@link SubscriptionCheckpoint#deferTo}).
 * After a crash the records since the checkpoint are handled again.
 * <p>
 * When a call fails, the checkpoint moves up to the record before, and the record is
 * either tried again after a backoff or, when that was its last attempt, made a dead
 * letter in the short transaction that moves the checkpoint past it.
 */
final class AtLeastOnceDelivery implements BatchDelivery {

	private final SubscriptionCheckpoint checkpoint;

	private final HandlerCalls calls;

	private final SubscriptionRetries retries;

	private final DeadLettering deadLettering;

	private final BooleanSupplier running;

	AtLeastOnceDelivery(SubscriptionCheckpoint checkpoint, HandlerCalls calls, SubscriptionRetries retries,
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
		for (ReadRecord record : batch.records()) {
			if (!this.running.getAsBoolean()) {
				return this.checkpoint.moveTo(start.key(), done, NextStep.CONTINUE);
			}
			if (this.calls.selects(record)) {
				Throwable failure = this.calls.call(record);
				if (failure != null) {
					return failed(start, done, record, failure);
				}
			}
			done = record.key();
		}
		if (batch.full()) {
			// catching up: the row may follow a few batches later
			return this.checkpoint.deferTo(start.key(), done, NextStep.CONTINUE);
		}
		return this.checkpoint.moveTo(start.key(), RecordKey.max(done, batch.seen()), NextStep.AT_HEAD);
	}

	private NextStep failed(Checkpoint start, RecordKey done, ReadRecord record, Throwable failure)
			throws SQLException {
		int attempts = SubscriptionRetries.attemptsAfterFailure(start, done);
		if (this.retries.isFinal(failure, attempts, record)) {
			boolean moved = this.checkpoint.inTransaction((connection) -> {
				if (!this.checkpoint.advance(connection, start.key(), record.key())) {
					return false;
				}
				this.deadLettering.giveUp(connection, record, attempts, failure);
				return true;
			});
			return moved ? NextStep.CONTINUE : this.checkpoint.lost();
		}
		if (this.checkpoint.moveTo(start.key(), done, NextStep.CONTINUE) == NextStep.LOST) {
			return NextStep.LOST;
		}
		return this.retries.retryLater(done, record, attempts, failure);
	}

}
