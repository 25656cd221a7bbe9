package io.eventy.test;

import java.util.List;

import io.eventy.store.StoredRecord;

/**
 * What {@link EventyTestSupport} asks of a store: where its head is, what was stored
 * after a mark, and which subscriptions have not handled everything stored yet.
 */
interface StoreProbe extends AutoCloseable {

	/**
	 * Mark the store's head: every record committed from now on is after it.
	 * @return the mark, understood by {@link #since(Object)}
	 */
	Object mark();

	/**
	 * Read the records committed after a mark.
	 * @param mark a mark of this probe
	 * @return the records, in the store's order
	 */
	List<StoredRecord> since(Object mark);

	/**
	 * Describe the running subscriptions that have not handled every record stored so
	 * far.
	 * @return one line per such subscription; empty when every one is done
	 */
	List<String> busy();

	/**
	 * Ask the subscriptions to look for records now, where the store can.
	 */
	default void wakeUp() {
	}

	/**
	 * Release the clients the probe holds.
	 */
	@Override
	default void close() {
	}

}
