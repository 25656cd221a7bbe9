package io.eventy.readme.testing;

import io.eventy.handler.EventHandler;

import org.springframework.stereotype.Component;

@Component
class Invoicing {

	@EventHandler(subscription = "invoices")
	InvoiceIssued issue(OrderPlaced order) {
		return new InvoiceIssued(order.orderId(), order.amountCents());
	}

}
