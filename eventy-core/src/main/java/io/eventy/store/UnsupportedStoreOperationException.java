package io.eventy.store;

/**
 * Thrown when a store cannot answer a call correctly (on Kafka: an expected version other
 * than {@code any()}, reading one stream by version). The message names the store that
 * can.
 */
public class UnsupportedStoreOperationException extends UnsupportedOperationException {

	/**
	 * Create a new exception.
	 * @param message what cannot be done and what to use instead
	 */
	public UnsupportedStoreOperationException(String message) {
		super(message);
	}

}
