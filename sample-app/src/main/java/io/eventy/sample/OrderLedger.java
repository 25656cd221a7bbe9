package io.eventy.sample;

import java.util.List;
import java.util.Optional;

import io.eventy.store.StoredRecord;
import org.jspecify.annotations.Nullable;

/**
 * Places and ships orders and answers what happened to them. Each order is a stream
 * {@code order-<id>}. {@link PostgresOrderLedger} serves PostgreSQL mode (the default),
 * {@link KafkaOrderLedger} serves {@code eventy.store.type=kafka}.
 */
interface OrderLedger {

	/**
	 * The stream type of orders.
	 */
	String STREAM_TYPE = "order";

	/**
	 * Place an order: start its stream.
	 * @param orderId the order id, or {@code null} for a new one
	 * @param customer who places it
	 * @param amountCents what it costs
	 * @return the stored record
	 * @throws io.eventy.store.ConcurrencyException if the order exists already
	 */
	StoredRecord place(@Nullable String orderId, @Nullable String customer, long amountCents);

	/**
	 * Ship an order, once.
	 * @param orderId the order id
	 * @param carrier who carries it
	 * @return the stored record
	 * @throws OrderNotFoundException if no such order was placed
	 * @throws OrderAlreadyShippedException if it was shipped already
	 */
	StoredRecord ship(String orderId, @Nullable String carrier);

	/**
	 * Return an order's records in the order they were written.
	 * @param orderId the order id
	 * @return the records
	 * @throws OrderNotFoundException if no such order was placed
	 */
	List<StoredRecord> history(String orderId);

	/**
	 * Return an order's summary, the read model its handler keeps.
	 * @param orderId the order id
	 * @return the summary, empty until the handler saw the order's placement
	 */
	Optional<OrderSummary> summary(String orderId);

}
