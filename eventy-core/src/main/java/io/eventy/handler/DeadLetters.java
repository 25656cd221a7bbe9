package io.eventy.handler;

import java.util.List;

/**
 * The records subscriptions gave up on. A dead letter stays until it is re-driven and
 * then handled successfully. Every dead letter is listed and re-driven, also one whose
 * stored record cannot be read ({@link DeadLetter#readable()}).
 */
public interface DeadLetters {

	/**
	 * List the dead letters of a subscription, oldest record first. One whose stored
	 * record cannot be read is listed too, without its {@link DeadLetter#record() record}
	 * but with what is stored as {@link DeadLetter#json() JSON} and
	 * {@link DeadLetter#unreadable() why} it cannot be read.
	 * @param subscription the subscription name
	 * @return its dead letters, empty when there are none
	 */
	List<DeadLetter> list(String subscription);

	/**
	 * Put a subscription's dead letters back in line: the subscription handles them
	 * again, before newer records, with a fresh round of retries. One that fails again
	 * becomes a dead letter again; so does one whose stored record still cannot be read.
	 * @param subscription the subscription name
	 * @return how many dead letters were put back in line
	 */
	int redrive(String subscription);

}
