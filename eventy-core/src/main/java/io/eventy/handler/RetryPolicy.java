package io.eventy.handler;

import java.time.Duration;
import java.util.Objects;

/**
 * How a failing handler is retried: up to {@code maxAttempts} calls in all, waiting
 * {@code initialInterval} before the second, each wait {@code multiplier} times the one
 * before and never longer than {@code maxInterval}. After the last attempt the record
 * goes to the dead letters.
 *
 * @param maxAttempts the most calls with one record, the first one included, at least 1
 * @param initialInterval the wait before the second call
 * @param multiplier the factor applied to the wait after each failed call, at least 1
 * @param maxInterval the longest wait between two calls
 */
public record RetryPolicy(int maxAttempts, Duration initialInterval, double multiplier, Duration maxInterval) {

	public RetryPolicy {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
		}
		Objects.requireNonNull(initialInterval, "initialInterval");
		Objects.requireNonNull(maxInterval, "maxInterval");
		if (initialInterval.isNegative() || maxInterval.isNegative()) {
			throw new IllegalArgumentException(
					"Retry intervals must not be negative, were " + initialInterval + " and " + maxInterval);
		}
		if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
			throw new IllegalArgumentException("multiplier must be a finite number of at least 1.0, was " + multiplier);
		}
	}

	/**
	 * The original eventy's defaults: 10 attempts, 1 s before the second, doubling, at
	 * most 1 min.
	 * @return the default policy
	 */
	public static RetryPolicy defaults() {
		return new RetryPolicy(10, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1));
	}

	/**
	 * Return whether a record that failed this many times gets another call.
	 * @param failedAttempts how many calls with it failed so far
	 * @return {@code true} while fewer than {@code maxAttempts} calls were made
	 */
	public boolean canRetry(int failedAttempts) {
		return failedAttempts < this.maxAttempts;
	}

	/**
	 * Return the wait before the next call of a record that failed this many times.
	 * @param failedAttempts how many calls with it failed so far, at least 1
	 * @return {@code initialInterval * multiplier^(failedAttempts - 1)}, at most
	 * {@code maxInterval}
	 */
	public Duration backoff(int failedAttempts) {
		if (failedAttempts < 1) {
			return Duration.ZERO;
		}
		double millis = this.initialInterval.toMillis() * Math.pow(this.multiplier, failedAttempts - 1);
		long capped = (long) Math.min(millis, this.maxInterval.toMillis());
		return Duration.ofMillis(Math.max(capped, 0));
	}

}
