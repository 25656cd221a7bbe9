package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import io.eventy.store.postgres.SubscriptionRecordReader.Batch;
import io.eventy.store.postgres.SubscriptionRecordReader.ReadRecord;

/**
 * {@link io.eventy.handler.Guarantee#AT_MOST_ONCE}: move the checkpoint past each record
 * before its handler runs, on a second connection that commits at once, while the lock's
 * transaction keeps the lock. After a crash nothing is handled again. A failed call is
 * not retried; the record becomes a dead letter.
 */
final class AtMostOnceDelivery implements BatchDelivery {

	private final DataSource dataSource;

	private final SubscriptionCheckpoint checkpoint;

	private final HandlerCalls calls;

	private final DeadLettering deadLettering;

	private final BooleanSupplier running;

	AtMostOnceDelivery(DataSource dataSource, SubscriptionCheckpoint checkpoint, HandlerCalls calls,
			DeadLettering deadLettering, BooleanSupplier running) {
		this.dataSource = dataSource;
		this.checkpoint = checkpoint;
		this.calls = calls;
		this.deadLettering = deadLettering;
		this.running = running;
	}

	@Override
	public NextStep deliver(Connection lock, Checkpoint start, Batch batch) throws SQLException {
		try (Connection claims = this.dataSource.getConnection()) {
			claims.setAutoCommit(true);
			RecordKey done = start.key();
			for (ReadRecord record : batch.records()) {
				if (!this.running.getAsBoolean()) {
					return NextStep.CONTINUE;
				}
				if (!this.calls.selects(record)) {
					continue;
				}
				if (!this.checkpoint.advance(claims, done, record.key())) {
					return this.checkpoint.lost();
				}
				done = record.key();
				Throwable failure = this.calls.call(record);
				if (failure != null) {
					this.deadLettering.giveUp(claims, record, 1, failure);
				}
			}
			RecordKey end = batch.records().isEmpty() ? done : batch.records().get(batch.records().size() - 1).key();
			return this.checkpoint.moveTo(claims, done, batch.full() ? end : RecordKey.max(end, batch.seen()),
					NextStep.afterBatch(batch));
		}
	}

}
