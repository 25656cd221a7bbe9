package io.eventy.store.postgres;

import java.sql.SQLException;
import java.util.function.BooleanSupplier;

import io.eventy.store.postgres.SubscriptionRecordReader.Batch;
import io.eventy.store.postgres.SubscriptionRecordReader.ReadRecord;

/**
 * {@link io.eventy.handler.Guarantee#AT_MOST_ONCE}: move the checkpoint past each record,
 * committed at once, before its handler runs. After a crash nothing is handled again. A
 * failed call is not retried; the record becomes a dead letter, kept until the database
 * takes it ({@link DeadLettering#giveUpPassed}).
 */
final class AtMostOnceDelivery implements BatchDelivery {

	private final SubscriptionCheckpoint checkpoint;

	private final HandlerCalls calls;

	private final DeadLettering deadLettering;

	private final BooleanSupplier running;

	AtMostOnceDelivery(SubscriptionCheckpoint checkpoint, HandlerCalls calls, DeadLettering deadLettering,
			BooleanSupplier running) {
		this.checkpoint = checkpoint;
		this.calls = calls;
		this.deadLettering = deadLettering;
		this.running = running;
	}

	@Override
	public NextStep deliver(Checkpoint start, Batch batch) throws SQLException {
		RecordKey done = start.key();
		for (ReadRecord record : batch.records()) {
			if (!this.running.getAsBoolean()) {
				return NextStep.CONTINUE;
			}
			if (!this.calls.selects(record)) {
				continue;
			}
			RecordKey expected = done;
			if (!this.checkpoint
				.autoCommit((connection) -> this.checkpoint.advance(connection, expected, record.key()))) {
				return this.checkpoint.lost();
			}
			done = record.key();
			Throwable failure = this.calls.call(record);
			if (failure != null) {
				this.deadLettering.giveUpPassed(record, 1, failure);
			}
		}
		RecordKey end = batch.records().isEmpty() ? done : batch.records().get(batch.records().size() - 1).key();
		return this.checkpoint.moveTo(done, batch.full() ? end : RecordKey.max(end, batch.seen()),
				NextStep.afterBatch(batch));
	}

}
