package io.eventy.readme.payment;

import io.eventy.handler.EventHandler;
import io.eventy.handler.EventyErrorResponseException;
import io.eventy.readme.payment.PaymentRequests.ChargePayment;
import io.eventy.readme.payment.PaymentRequests.PaymentCharged;

/**
 * The example of the README's "Handlers" section on error codes: a request handler that
 * declines with an error response of its choosing.
 */
class Payments {

	@EventHandler
	PaymentCharged charge(ChargePayment request) {
		if (declined(request)) {
			// an error response with error_code 402
			throw new EventyErrorResponseException(402, "Card declined");
		}
		return new PaymentCharged(request.orderId(), "ch-" + request.orderId());
	}

	private boolean declined(ChargePayment request) {
		return request.amountCents() > 100_000;
	}

}
