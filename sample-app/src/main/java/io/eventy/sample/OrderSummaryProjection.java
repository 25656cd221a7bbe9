package io.eventy.sample;

import java.util.List;
import java.util.Optional;

import io.eventy.handler.EventHandler;
import io.eventy.store.StoredRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps the {@code order_summary} read model up to date from the orders' records.
 * <p>
 * One subscription handles both record types, so an order's records arrive in stream
 * order. It is {@code AT_LEAST_ONCE}: a record may come again after a crash, so every
 * write is an idempotent upsert that only moves a row forward (a record at or below the
 * row's {@code updated_position} changes nothing).
 */
@Component
@ConditionalOnProperty(name = "eventy.store.type", havingValue = "postgres", matchIfMissing = true)
class OrderSummaryProjection {

	private static final Logger logger = LoggerFactory.getLogger(OrderSummaryProjection.class);

	private final JdbcTemplate jdbc;

	OrderSummaryProjection(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@EventHandler(subscription = "order-summary", name = "urn:shop:Order(Placed|Shipped)")
	void project(StoredRecord record) {
		long position = record.position();
		String status;
		String orderId;
		if (record.record().name().equals("OrderPlaced")) {
			OrderPlaced placed = record.payload(OrderPlaced.class);
			orderId = placed.orderId();
			status = "PLACED";
			this.jdbc.update("""
					insert into order_summary (order_id, customer, amount_cents, status, updated_position)
					values (?, ?, ?, 'PLACED', ?)
					on conflict (order_id) do update
					set customer = excluded.customer, amount_cents = excluded.amount_cents,
						updated_position = excluded.updated_position
					where order_summary.updated_position < excluded.updated_position
					""", orderId, placed.customer(), placed.amountCents(), position);
		}
		else {
			orderId = record.payload(OrderShipped.class).orderId();
			status = "SHIPPED";
			this.jdbc.update("""
					update order_summary set status = 'SHIPPED', updated_position = ?
					where order_id = ? and updated_position < ?
					""", position, orderId, position);
		}
		logger.info("Projected order {} as {} (position {})", orderId, status, position);
	}

	/**
	 * Return an order's summary.
	 * @param orderId the order id
	 * @return the summary, empty until the order's placement was projected
	 */
	Optional<OrderSummary> find(String orderId) {
		List<OrderSummary> rows = this.jdbc.query("""
				select order_id, customer, amount_cents, status, updated_position
				from order_summary where order_id = ?
				""", (rs, row) -> new OrderSummary(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
				rs.getLong(5)), orderId);
		return rows.stream().findFirst();
	}

}
