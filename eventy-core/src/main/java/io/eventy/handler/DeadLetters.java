package io.eventy.handler;

import java.util.List;

/**
 * The records subscriptions gave up on. A dead letter stays until it is re-driven and
 * then handled successfully.
 */
public interface DeadLetters {

	/**
	 * List the dead letters of a subscription, oldest record first.
	 * @param subscription the subscription name
	 * @return its dead letters, empty when there are none
	 */
	List<DeadLetter> list(String subscription);

	/**
	 * Put a subscription's dead letters back in line: the subscription handles them
	 * again, before newer records, with a fresh round of retries. One that fails again
	 * becomes a dead letter again.
	 * @param subscription the subscription name
	 * @return how many dead letters were put back in line
	 */
	int redrive(String subscription);

}
