package io.eventy.readme.orders;

import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import io.eventy.store.StoredRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

/**
 * The handler example of the README's "Handlers" section: the three handler styles.
 */
@Component
class Billing {

	private static final Logger logger = LoggerFactory.getLogger(Billing.class);

	@EventHandler // subscription "billing.onOrderPlaced"
	void onOrderPlaced(OrderPlaced event, StoredRecord record) {
		logger.info("Order {} placed at position {}", event.orderId(), record.position());
	}

	@EventHandler(subscription = "invoices", guarantee = Guarantee.EXACTLY_ONCE)
	InvoiceIssued issue(OrderPlaced event) { // returned payloads are stored as records
		return new InvoiceIssued(event.orderId(), event.amountCents());
	}

	// name: a regular expression on namespace:name
	@EventHandler(name = "urn:shop:Contract(Suspended|Activated)")
	void onContract(JsonNode data) {
		logger.info("Contract changed: {}", data);
	}

}
