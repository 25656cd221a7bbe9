package io.eventy.handler;

import java.util.List;

/**
 * The subscriptions of this service, as an operator sees them: what state each is in, how
 * far behind it is, and the controls to pause, resume and replay one.
 * <p>
 * Every operation is cluster-wide: a subscription paused from one instance is paused on
 * every instance, and stays paused across restarts until it is resumed.
 *
 * @see DeadLetters
 */
public interface Subscriptions {

	/**
	 * List the subscriptions of this service, by name.
	 * @return the status of each subscription, ordered by name
	 */
	List<SubscriptionStatus> list();

	/**
	 * Return the status of one subscription.
	 * @param name the subscription name
	 * @return its status
	 * @throws UnknownSubscriptionException when this service has no such subscription
	 */
	SubscriptionStatus get(String name);

	/**
	 * Pause a subscription on every instance: it handles no record until it is resumed,
	 * also after a restart. A record being handled when the pause arrives is finished
	 * first. Pausing a paused subscription does nothing.
	 * @param name the subscription name
	 * @throws UnknownSubscriptionException when this service has no such subscription
	 */
	void pause(String name);

	/**
	 * Resume a paused subscription on every instance. Resuming a running subscription
	 * does nothing.
	 * @param name the subscription name
	 * @throws UnknownSubscriptionException when this service has no such subscription
	 */
	void resume(String name);

	/**
	 * Move a subscription's checkpoint, for a replay ({@link ResetTo#earliest()}) or to
	 * skip ahead ({@link ResetTo#latest()}). Safe while instances run: the subscription
	 * goes on from the new checkpoint, nothing is handled twice at once, and its dead
	 * letters stay as they are.
	 * @param name the subscription name
	 * @param to where the subscription goes on from
	 * @throws UnknownSubscriptionException when this service has no such subscription
	 */
	void reset(String name, ResetTo to);

	/**
	 * List the subscriptions that left state in the store (checkpoints, offsets, dead
	 * letters) but that no running instance of this service has any more: renamed or
	 * deleted handlers.
	 * @return their names, ordered
	 */
	List<String> abandoned();

	/**
	 * Delete what an {@link #abandoned() abandoned} subscription left in the store: its
	 * checkpoints (PostgreSQL) or consumer group (Kafka), and its dead letters. Records
	 * are never touched.
	 * @param name the subscription name
	 * @throws IllegalStateException when a running instance still has that subscription
	 */
	void forget(String name);

}
