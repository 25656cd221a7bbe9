package io.eventy.sample;

/**
 * Thrown when an order was never placed.
 */
class OrderNotFoundException extends RuntimeException {

	OrderNotFoundException(String orderId) {
		super("Order '" + orderId + "' was never placed");
	}

}
