package io.eventy.store.postgres;

import java.sql.SQLException;

import io.eventy.store.postgres.SubscriptionRecordReader.Batch;

/**
 * Delivers one batch of records of a segment to its subscription's handler as the
 * handler's guarantee prescribes, and moves the checkpoint past what it is done with. One
 * implementation per {@link io.eventy.handler.Guarantee}. No transaction is open while a
 * handler runs unless the guarantee needs one around it.
 * <p>
 * Each one checks before every record whether its worker still runs, and stops there when
 * it does not: the rest of the batch is left for later.
 */
interface BatchDelivery {

	/**
	 * Deliver a batch.
	 * @param start the checkpoint the batch was read after
	 * @param batch the records
	 * @return what the worker does next
	 * @throws SQLException if the worker's own statements fail; the worker reads the
	 * batch again later
	 */
	NextStep deliver(Checkpoint start, Batch batch) throws SQLException;

}
