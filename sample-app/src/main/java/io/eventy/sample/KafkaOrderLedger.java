package io.eventy.sample;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.eventy.record.RecordTypeRegistry;
import io.eventy.store.ConcurrencyException;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Service;

/**
 * The orders in Kafka mode ({@code eventy.store.type=kafka}). Kafka keeps no stream
 * versions and cannot read a stream back, so every append expects
 * {@link ExpectedVersion#any()}, and what an order is comes from
 * {@link KafkaOrderProjection}: records this service appended count at once (it reads its
 * own writes), records from elsewhere once the projection consumed them. The checks that
 * an order is placed and shipped once hold within this instance only; across instances
 * only the PostgreSQL store's expected versions guarantee them.
 */
@Service
@ConditionalOnProperty(name = "eventy.store.type", havingValue = "kafka")
class KafkaOrderLedger implements OrderLedger {

	private final EventStore store;

	private final KafkaOrderProjection orders;

	private final String orderShipped;

	KafkaOrderLedger(EventStore store, RecordTypeRegistry recordTypes, KafkaOrderProjection orders) {
		this.store = store;
		this.orders = orders;
		this.orderShipped = recordTypes.descriptorFor(OrderShipped.class).qualifiedName();
	}

	@Override
	public synchronized StoredRecord place(@Nullable String orderId, @Nullable String customer, long amountCents) {
		String id = (orderId != null) ? orderId : UUID.randomUUID().toString();
		List<StoredRecord> history = this.orders.history(id);
		if (!history.isEmpty()) {
			throw new ConcurrencyException(stream(id), ExpectedVersion.noStream(), history.size());
		}
		return append(id, new OrderPlaced(id, customer, amountCents));
	}

	@Override
	public synchronized StoredRecord ship(String orderId, @Nullable String carrier) {
		List<StoredRecord> history = history(orderId);
		if (history.stream().anyMatch((record) -> record.record().qualifiedName().equals(this.orderShipped))) {
			throw new OrderAlreadyShippedException(orderId);
		}
		return append(orderId, new OrderShipped(orderId, carrier));
	}

	@Override
	public List<StoredRecord> history(String orderId) {
		List<StoredRecord> history = this.orders.history(orderId);
		if (history.isEmpty()) {
			throw new OrderNotFoundException(orderId);
		}
		return history;
	}

	@Override
	public Optional<OrderSummary> summary(String orderId) {
		return this.orders.find(orderId);
	}

	private StoredRecord append(String orderId, Object payload) {
		StoredRecord stored = this.store.append(stream(orderId), ExpectedVersion.any(), payload).records().get(0);
		this.orders.remember(orderId, stored);
		return stored;
	}

	private static StreamId stream(String orderId) {
		return StreamId.of(STREAM_TYPE, orderId);
	}

}
