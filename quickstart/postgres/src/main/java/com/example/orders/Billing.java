package com.example.orders;

import io.eventy.handler.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

@Component
class Billing {

	private static final Logger logger = LoggerFactory.getLogger(Billing.class);

	@EventHandler // subscription "billing.onOrderPlaced": its own checkpoint, retries, dead letters
	void onOrderPlaced(OrderPlaced order) {
		logger.info("Billing order {}: {} cents", order.orderId(), order.amountCents());
	}

}
