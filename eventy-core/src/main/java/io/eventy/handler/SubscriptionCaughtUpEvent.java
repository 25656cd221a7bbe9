package io.eventy.handler;

import org.springframework.context.ApplicationEvent;

/**
 * Published once per subscription and start, when the subscription first reaches the
 * newest record it can read: everything stored before has been handled.
 */
public class SubscriptionCaughtUpEvent extends ApplicationEvent {

	private final String subscription;

	/**
	 * Create a new event.
	 * @param source the component that runs the subscription
	 * @param subscription the name of the subscription
	 */
	public SubscriptionCaughtUpEvent(Object source, String subscription) {
		super(source);
		this.subscription = subscription;
	}

	/**
	 * Return the name of the subscription that caught up.
	 * @return the subscription name
	 */
	public String subscription() {
		return this.subscription;
	}

	@Override
	public String toString() {
		return "SubscriptionCaughtUpEvent[" + this.subscription + "]";
	}

}
