package io.eventy.sample;

import java.util.List;

import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Issues one invoice per placed order. The subscription is {@code EXACTLY_ONCE}: the
 * {@code invoice} row, the returned {@link InvoiceIssued} record and the checkpoint
 * commit in one transaction, so none of them appears twice or without the others.
 */
@Component
@ConditionalOnProperty(name = "eventy.store.type", havingValue = "postgres", matchIfMissing = true)
class InvoiceIssuer {

	private static final Logger logger = LoggerFactory.getLogger(InvoiceIssuer.class);

	private final JdbcTemplate jdbc;

	InvoiceIssuer(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@EventHandler(subscription = "invoices", guarantee = Guarantee.EXACTLY_ONCE)
	@Nullable InvoiceIssued issue(OrderPlaced order) {
		// an OrderPlaced published twice by name (POST /events) gets no second invoice
		List<String> numbers = this.jdbc.queryForList("""
				insert into invoice (order_id, invoice_number, amount_cents)
				values (?, 'INV-' || nextval('invoice_number_seq'), ?)
				on conflict (order_id) do nothing
				returning invoice_number
				""", String.class, order.orderId(), order.amountCents());
		if (numbers.isEmpty()) {
			logger.info("Order {} has an invoice already", order.orderId());
			return null;
		}
		logger.info("Issued invoice {} for order {}", numbers.get(0), order.orderId());
		return new InvoiceIssued(order.orderId(), numbers.get(0), order.amountCents());
	}

}
