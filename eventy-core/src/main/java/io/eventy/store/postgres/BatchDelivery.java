package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;

import io.eventy.store.postgres.SubscriptionRecordReader.Batch;

/**
 * Delivers one batch of records to a subscription's handler as its guarantee prescribes,
 * and moves the checkpoint past what it is done with. One implementation per
 * {@link io.eventy.handler.Guarantee}.
 * <p>
 * Each one checks before every record whether its worker still runs, and stops there when
 * it does not: the rest of the batch is left for later.
 */
interface BatchDelivery {

	/**
	 * Deliver a batch.
	 * @param lock the connection whose transaction holds the subscription's lock; the
	 * worker commits it afterwards
	 * @param start the checkpoint the batch was read after
	 * @param batch the records
	 * @return what the worker does next
	 * @throws SQLException if the worker's own statements fail; the worker rolls back and
	 * reads the batch again later
	 */
	NextStep deliver(Connection lock, Checkpoint start, Batch batch) throws SQLException;

}
