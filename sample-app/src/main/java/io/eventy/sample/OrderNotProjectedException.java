package io.eventy.sample;

/**
 * Thrown when an order's summary does not exist (yet): the projection has not seen the
 * order's placement.
 */
class OrderNotProjectedException extends RuntimeException {

	OrderNotProjectedException(String orderId) {
		super("Order '" + orderId + "' has no summary (yet)");
	}

}
