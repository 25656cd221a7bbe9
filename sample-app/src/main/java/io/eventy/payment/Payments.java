package io.eventy.payment;

import java.util.UUID;

import io.eventy.handler.EventHandler;
import io.eventy.handler.EventyErrorResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Charges orders: answers each {@link ChargePayment} with {@link PaymentCharged}, or
 * declines it with an error response (code 402) when it is above
 * {@code payment.limit-cents}.
 */
@Component
class Payments {

	private static final Logger logger = LoggerFactory.getLogger(Payments.class);

	private final long limitCents;

	Payments(@Value("${payment.limit-cents:100000}") long limitCents) {
		this.limitCents = limitCents;
	}

	@EventHandler(subscription = "charges")
	PaymentCharged charge(ChargePayment request) {
		if (request.amountCents() > this.limitCents) {
			logger.info("Declining order {}: {} cents is above the limit", request.orderId(), request.amountCents());
			throw new EventyErrorResponseException(402,
					"Card declined: " + request.amountCents() + " cents is above the limit of " + this.limitCents);
		}
		logger.info("Charged order {}: {} cents", request.orderId(), request.amountCents());
		return new PaymentCharged(request.orderId(), "ch-" + UUID.randomUUID());
	}

}
