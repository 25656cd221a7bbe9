package io.eventy.handler;

import java.time.Instant;
import java.util.Objects;

import io.eventy.store.StoredRecord;

/**
 * A record a subscription gave up on after its retries, and why.
 *
 * @param record the record
 * @param subscription the subscription that gave up
 * @param attempts how many times the handler was called with it
 * @param lastError the last failure, an exception class and message
 * @param deadAt when the subscription gave up
 */
public record DeadLetter(StoredRecord record, String subscription, int attempts, String lastError, Instant deadAt) {

	public DeadLetter {
		Objects.requireNonNull(record, "record");
		Objects.requireNonNull(subscription, "subscription");
		Objects.requireNonNull(lastError, "lastError");
		Objects.requireNonNull(deadAt, "deadAt");
	}

}
