package io.eventy.handler;

/**
 * What a subscription is doing, as {@link Subscriptions} reports it.
 */
public enum SubscriptionState {

	/** Handling records as they arrive, near the newest. */
	RUNNING,

	/** Paused by an operator ({@link Subscriptions#pause(String)}); handles nothing. */
	PAUSED,

	/** Working off a backlog: after a start, a reset or a burst of records. */
	CATCHING_UP,

	/** Not advancing although records wait: see the status' last error. */
	STALLED,

	/** Not running on this instance: the application is stopping or has not started. */
	STOPPED

}
