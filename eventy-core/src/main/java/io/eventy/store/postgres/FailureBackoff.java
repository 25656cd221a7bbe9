package io.eventy.store.postgres;

import java.time.Duration;

/**
 * Counts the consecutive failures of a loop that needs the database and spaces its next
 * tries: the delay doubles from a base with each failure, up to five seconds. The first
 * failure after a success is the one worth a warning; the following ones only repeat it.
 */
final class FailureBackoff {

	private static final long MAX_MILLIS = 5000;

	private final long baseMillis;

	private final int maxDoublings;

	private int failures;

	/**
	 * Create a backoff.
	 * @param base the delay before doubling
	 * @param maxDoublings how many times the delay doubles at most
	 */
	FailureBackoff(Duration base, int maxDoublings) {
		this.baseMillis = base.toMillis();
		this.maxDoublings = maxDoublings;
	}

	/**
	 * Count a failure.
	 * @return the delay before the next try
	 */
	Duration failed() {
		this.failures++;
		return Duration.ofMillis(Math.min(MAX_MILLIS, this.baseMillis << Math.min(this.failures, this.maxDoublings)));
	}

	/**
	 * Return whether the last failure is the first since a success.
	 * @return {@code true} for the first failure
	 */
	boolean firstFailure() {
		return this.failures == 1;
	}

	/**
	 * Forget the failures after a success.
	 * @return whether there were any, so that the recovery is worth a log line
	 */
	boolean succeeded() {
		boolean recovered = this.failures > 0;
		this.failures = 0;
		return recovered;
	}

}
