package io.eventy.sample;

/**
 * Thrown when an order is shipped a second time.
 */
class OrderAlreadyShippedException extends RuntimeException {

	OrderAlreadyShippedException(String orderId) {
		super("Order '" + orderId + "' was shipped already");
	}

}
