package io.eventy.handler;

import java.util.List;
import java.util.UUID;

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

	/**
	 * List a page of a subscription's dead letters, oldest record first.
	 * @param subscription the subscription name
	 * @param offset how many dead letters to skip
	 * @param limit the most dead letters to return
	 * @return the dead letters of that page
	 */
	default List<DeadLetter> list(String subscription, int offset, int limit) {
		List<DeadLetter> all = list(subscription);
		int from = Math.min(Math.max(offset, 0), all.size());
		return all.subList(from, Math.min(all.size(), from + Math.max(limit, 0)));
	}

	/**
	 * Count a subscription's dead letters.
	 * @param subscription the subscription name
	 * @return how many dead letters it has
	 */
	default long count(String subscription) {
		return list(subscription).size();
	}

	/**
	 * Put one dead letter back in line, as {@link #redrive(String)} does for all.
	 * @param subscription the subscription name
	 * @param uuid the record's uuid
	 * @return whether the subscription had a dead letter of that record
	 */
	boolean redrive(String subscription, UUID uuid);

	/**
	 * Drop one dead letter for good: the subscription never handles that record again
	 * (unless it is reset to before it). The record itself stays in the store.
	 * @param subscription the subscription name
	 * @param uuid the record's uuid
	 * @return whether the subscription had a dead letter of that record
	 */
	boolean discard(String subscription, UUID uuid);

	/**
	 * Drop every dead letter of a subscription for good, as
	 * {@link #discard(String, UUID)} does for one.
	 * @param subscription the subscription name
	 * @return how many dead letters were dropped
	 */
	int discard(String subscription);

}
