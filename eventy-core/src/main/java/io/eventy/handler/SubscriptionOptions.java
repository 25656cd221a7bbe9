package io.eventy.handler;

import java.time.Duration;
import java.util.Objects;

/**
 * How a store runs subscriptions.
 *
 * @param batchSize the most records read and handled at once, 1 to 10,000
 * @param pollInterval how often a subscription looks for new records when no notification
 * wakes it
 * @param startPosition where a new subscription starts
 * @param retry how failing handlers are retried
 */
public record SubscriptionOptions(int batchSize, Duration pollInterval, StartPosition startPosition,
		RetryPolicy retry) {

	/** The largest batch size. */
	public static final int MAX_BATCH_SIZE = 10_000;

	public SubscriptionOptions {
		if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
			throw new IllegalArgumentException(
					"batchSize must be between 1 and " + MAX_BATCH_SIZE + ", was " + batchSize);
		}
		Objects.requireNonNull(pollInterval, "pollInterval");
		if (pollInterval.isNegative() || pollInterval.isZero()) {
			throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval);
		}
		Objects.requireNonNull(startPosition, "startPosition");
		Objects.requireNonNull(retry, "retry");
	}

	/**
	 * The defaults: batches of 100, a poll every second, from the earliest record, the
	 * default retry policy.
	 * @return the default options
	 */
	public static SubscriptionOptions defaults() {
		return new SubscriptionOptions(100, Duration.ofSeconds(1), StartPosition.EARLIEST, RetryPolicy.defaults());
	}

	/**
	 * Return a copy with another batch size.
	 * @param batchSize the batch size
	 * @return new options
	 */
	public SubscriptionOptions withBatchSize(int batchSize) {
		return new SubscriptionOptions(batchSize, this.pollInterval, this.startPosition, this.retry);
	}

	/**
	 * Return a copy with another poll interval.
	 * @param pollInterval the poll interval
	 * @return new options
	 */
	public SubscriptionOptions withPollInterval(Duration pollInterval) {
		return new SubscriptionOptions(this.batchSize, pollInterval, this.startPosition, this.retry);
	}

	/**
	 * Return a copy with another start position.
	 * @param startPosition the start position
	 * @return new options
	 */
	public SubscriptionOptions withStartPosition(StartPosition startPosition) {
		return new SubscriptionOptions(this.batchSize, this.pollInterval, startPosition, this.retry);
	}

	/**
	 * Return a copy with another retry policy.
	 * @param retry the retry policy
	 * @return new options
	 */
	public SubscriptionOptions withRetry(RetryPolicy retry) {
		return new SubscriptionOptions(this.batchSize, this.pollInterval, this.startPosition, retry);
	}

}
