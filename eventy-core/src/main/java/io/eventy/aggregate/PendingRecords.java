package io.eventy.aggregate;

import java.util.List;

/**
 * Implemented by a mutable aggregate whose commands collect the payloads they decide
 * instead of returning them. {@link Aggregates} takes them after the command, appends
 * them and applies them through the aggregate's {@link Apply} methods: a command only
 * records its payloads, it does not change state itself.
 */
public interface PendingRecords {

	/**
	 * Return the payloads recorded since the last call, and forget them.
	 * @return the pending payloads in the order they were recorded, possibly empty
	 */
	List<?> takePending();

}
