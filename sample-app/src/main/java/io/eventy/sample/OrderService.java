package io.eventy.sample;

import java.util.List;
import java.util.UUID;

import io.eventy.record.RecordTypeRegistry;
import io.eventy.store.AppendResult;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

/**
 * Places and ships orders. Each order is a stream {@code order-<id>}; its records are its
 * whole state.
 */
@Service
class OrderService {

	static final String STREAM_TYPE = "order";

	private final EventStore store;

	private final String orderShipped;

	OrderService(EventStore store, RecordTypeRegistry recordTypes) {
		this.store = store;
		this.orderShipped = recordTypes.descriptorFor(OrderShipped.class).qualifiedName();
	}

	/**
	 * Place an order: start its stream.
	 * @param orderId the order id, or {@code null} for a new one
	 * @param customer who places it
	 * @param amountCents what it costs
	 * @return the stored record
	 * @throws io.eventy.store.ConcurrencyException if the order exists already
	 */
	StoredRecord place(@Nullable String orderId, @Nullable String customer, long amountCents) {
		String id = (orderId != null) ? orderId : UUID.randomUUID().toString();
		AppendResult result = this.store.append(stream(id), ExpectedVersion.noStream(),
				new OrderPlaced(id, customer, amountCents));
		return result.records().get(0);
	}

	/**
	 * Ship an order, once.
	 * @param orderId the order id
	 * @param carrier who carries it
	 * @return the stored record
	 * @throws OrderNotFoundException if no such order was placed
	 * @throws OrderAlreadyShippedException if it was shipped already
	 * @throws io.eventy.store.ConcurrencyException if the order changed meanwhile
	 */
	StoredRecord ship(String orderId, @Nullable String carrier) {
		List<StoredRecord> history = history(orderId);
		if (history.stream().anyMatch((record) -> record.record().qualifiedName().equals(this.orderShipped))) {
			throw new OrderAlreadyShippedException(orderId);
		}
		long version = history.get(history.size() - 1).streamVersion();
		AppendResult result = this.store.append(stream(orderId), ExpectedVersion.exactly(version),
				new OrderShipped(orderId, carrier));
		return result.records().get(0);
	}

	/**
	 * Return an order's records in version order.
	 * @param orderId the order id
	 * @return the records
	 * @throws OrderNotFoundException if no such order was placed
	 */
	List<StoredRecord> history(String orderId) {
		List<StoredRecord> history = this.store.readStream(stream(orderId));
		if (history.isEmpty()) {
			throw new OrderNotFoundException(orderId);
		}
		return history;
	}

	private static StreamId stream(String orderId) {
		return StreamId.of(STREAM_TYPE, orderId);
	}

}
