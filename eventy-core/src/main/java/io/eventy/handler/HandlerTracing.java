package io.eventy.handler;

import io.eventy.context.EventyContextHolder;
import io.eventy.store.StoredRecord;

/**
 * Continues a record's trace around a handler call; a hook for a tracer.
 */
@FunctionalInterface
interface HandlerTracing {

	/**
	 * Start a span for handling a record.
	 * @param record the record, whose {@code traceparent} is the parent
	 * @param spanName the span name
	 * @return the scope to close when the call is over
	 */
	EventyContextHolder.Scope start(StoredRecord record, String spanName);

	static HandlerTracing none() {
		return (record, spanName) -> () -> {
		};
	}

}
