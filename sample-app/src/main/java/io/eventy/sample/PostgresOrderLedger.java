package io.eventy.sample;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.eventy.record.RecordTypeRegistry;
import io.eventy.store.AppendResult;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Service;

/**
 * The orders on PostgreSQL (the default mode): each order's stream is its whole state,
 * read back by version, and every append checks the version it expects, so an order is
 * placed and shipped once even under concurrent requests. Summaries come from
 * {@link OrderSummaryProjection}.
 */
@Service
@ConditionalOnProperty(name = "eventy.store.type", havingValue = "postgres", matchIfMissing = true)
class PostgresOrderLedger implements OrderLedger {

	private final EventStore store;

	private final OrderSummaryProjection summaries;

	private final String orderShipped;

	PostgresOrderLedger(EventStore store, RecordTypeRegistry recordTypes, OrderSummaryProjection summaries) {
		this.store = store;
		this.summaries = summaries;
		this.orderShipped = recordTypes.descriptorFor(OrderShipped.class).qualifiedName();
	}

	@Override
	public StoredRecord place(@Nullable String orderId, @Nullable String customer, long amountCents) {
		String id = (orderId != null) ? orderId : UUID.randomUUID().toString();
		AppendResult result = this.store.append(stream(id), ExpectedVersion.noStream(),
				new OrderPlaced(id, customer, amountCents));
		return result.records().get(0);
	}

	/**
	 * {@inheritDoc}
	 * @throws io.eventy.store.ConcurrencyException if the order changed meanwhile
	 */
	@Override
	public StoredRecord ship(String orderId, @Nullable String carrier) {
		List<StoredRecord> history = history(orderId);
		if (history.stream().anyMatch((record) -> record.record().qualifiedName().equals(this.orderShipped))) {
			throw new OrderAlreadyShippedException(orderId);
		}
		long version = history.get(history.size() - 1).streamVersion();
		AppendResult result = this.store.append(stream(orderId), ExpectedVersion.exactly(version),
				new OrderShipped(orderId, carrier));
		return result.records().get(0);
	}

	@Override
	public List<StoredRecord> history(String orderId) {
		List<StoredRecord> history = this.store.readStream(stream(orderId));
		if (history.isEmpty()) {
			throw new OrderNotFoundException(orderId);
		}
		return history;
	}

	@Override
	public Optional<OrderSummary> summary(String orderId) {
		return this.summaries.find(orderId);
	}

	private static StreamId stream(String orderId) {
		return StreamId.of(STREAM_TYPE, orderId);
	}

}
