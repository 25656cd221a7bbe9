package io.eventy.test.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.eventy.handler.EventHandler;

import org.springframework.stereotype.Component;

/**
 * Issues an invoice for each placed order, slowly enough that a test which does not wait
 * for it sees it unfinished.
 */
@Component
public class Billing {

	private final List<String> invoiced = new CopyOnWriteArrayList<>();

	@EventHandler(subscription = "invoices")
	InvoiceIssued issue(OrderPlaced order) throws InterruptedException {
		Thread.sleep(200);
		this.invoiced.add(order.orderId());
		return new InvoiceIssued(order.orderId(), order.amountCents());
	}

	/**
	 * Return the orders invoiced so far.
	 * @return their ids
	 */
	public List<String> invoiced() {
		return List.copyOf(this.invoiced);
	}

}
