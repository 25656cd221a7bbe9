package io.eventy.handler;

/**
 * Thrown when {@link Subscriptions} or {@link DeadLetters} is asked about a subscription
 * this service does not have.
 */
public class UnknownSubscriptionException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String subscription;

	/**
	 * Create the exception.
	 * @param subscription the name asked for
	 */
	public UnknownSubscriptionException(String subscription) {
		super("No subscription named '" + subscription + "' in this service");
		this.subscription = subscription;
	}

	/**
	 * Return the name asked for.
	 * @return the subscription name
	 */
	public String getSubscription() {
		return this.subscription;
	}

}
