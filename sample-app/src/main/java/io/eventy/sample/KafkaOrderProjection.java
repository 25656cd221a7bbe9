package io.eventy.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.eventy.handler.EventHandler;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The orders in Kafka mode, in memory: each order's history and its summary, fed by the
 * {@code order-summary} subscription from the events topic. Kafka keeps no stream to read
 * back, so this is what the service knows of its orders; it starts empty, and the
 * subscription's consumer group resumes from its committed offsets.
 * <p>
 * The subscription is {@code AT_LEAST_ONCE}: a record may come twice, so the history
 * keeps each record uuid once and the summary only moves forward (a record at or below
 * the summary's {@code updatedPosition}, its offset in the order's partition, changes
 * nothing).
 */
@Component
@ConditionalOnProperty(name = "eventy.store.type", havingValue = "kafka")
class KafkaOrderProjection {

	private static final Logger logger = LoggerFactory.getLogger(KafkaOrderProjection.class);

	private final ConcurrentMap<String, List<StoredRecord>> histories = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, OrderSummary> summaries = new ConcurrentHashMap<>();

	@EventHandler(subscription = "order-summary", name = "urn:shop:Order(Placed|Shipped)")
	void project(StoredRecord record) {
		String orderId;
		String status;
		if (record.record().name().equals("OrderPlaced")) {
			OrderPlaced placed = record.payload(OrderPlaced.class);
			orderId = placed.orderId();
			status = "PLACED";
			this.summaries.merge(orderId,
					new OrderSummary(orderId, placed.customer(), placed.amountCents(), status, record.position()),
					(current, update) -> (current.updatedPosition() < update.updatedPosition())
							? new OrderSummary(orderId, update.customer(), update.amountCents(), current.status(),
									update.updatedPosition())
							: current);
		}
		else {
			orderId = record.payload(OrderShipped.class).orderId();
			status = "SHIPPED";
			this.summaries.computeIfPresent(orderId,
					(id, current) -> (current.updatedPosition() < record.position())
							? new OrderSummary(id, current.customer(), current.amountCents(), status, record.position())
							: current);
		}
		remember(orderId, record);
		logger.info("Projected order {} as {} (position {})", orderId, status, record.position());
	}

	/**
	 * Add a record of an order's stream to its history, once; records published in no
	 * stream (by name) are in no history, as on PostgreSQL.
	 * @param orderId the order id
	 * @param record the record
	 */
	void remember(String orderId, StoredRecord record) {
		if (!StreamId.of(OrderLedger.STREAM_TYPE, orderId).equals(record.stream())) {
			return;
		}
		this.histories.compute(orderId, (id, history) -> {
			List<StoredRecord> updated = (history != null) ? new ArrayList<>(history) : new ArrayList<>();
			if (updated.stream().noneMatch((known) -> known.record().uuid().equals(record.record().uuid()))) {
				updated.add(record);
			}
			return List.copyOf(updated);
		});
	}

	/**
	 * Return an order's records in the order they were seen.
	 * @param orderId the order id
	 * @return the records, empty if the order is unknown
	 */
	List<StoredRecord> history(String orderId) {
		List<StoredRecord> history = this.histories.get(orderId);
		return (history != null) ? history : List.of();
	}

	/**
	 * Return an order's summary.
	 * @param orderId the order id
	 * @return the summary, empty until the order's placement was projected
	 */
	Optional<OrderSummary> find(String orderId) {
		@Nullable OrderSummary summary = this.summaries.get(orderId);
		return Optional.ofNullable(summary);
	}

}
