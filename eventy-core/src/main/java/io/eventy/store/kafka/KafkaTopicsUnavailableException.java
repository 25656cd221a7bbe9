package io.eventy.store.kafka;

/**
 * Thrown at startup when the store's topics cannot be checked or created: no broker
 * answers at the bootstrap servers in time, or the cluster refuses.
 */
public class KafkaTopicsUnavailableException extends IllegalStateException {

	/**
	 * Create a new exception.
	 * @param message what failed, naming the bootstrap servers and the topics
	 * @param cause the Kafka client's failure
	 */
	public KafkaTopicsUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
