package io.eventy.store.postgres;

import java.sql.SQLException;
import java.time.Duration;

import io.eventy.context.EventyContextHolder;
import io.eventy.handler.FailureDescription;
import io.eventy.handler.HandlerEndpoint;
import io.eventy.handler.HandlerObserver;
import io.eventy.handler.RetryPolicy;
import io.eventy.store.postgres.SubscriptionRecordReader.ReadRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps count of a subscription's failed calls and decides what follows one: another
 * attempt after a backoff, or giving up. The failed calls of the record after the
 * checkpoint are counted in the subscription's row, so the count survives a restart and a
 * change of instance.
 */
final class SubscriptionRetries {

	private static final Logger logger = LoggerFactory.getLogger(SubscriptionRetries.class);

	private final HandlerEndpoint endpoint;

	private final RetryPolicy policy;

	private final SubscriptionCheckpoint checkpoint;

	private final HandlerObserver observer;

	SubscriptionRetries(HandlerEndpoint endpoint, RetryPolicy policy, SubscriptionCheckpoint checkpoint,
			HandlerObserver observer) {
		this.endpoint = endpoint;
		this.policy = policy;
		this.checkpoint = checkpoint;
		this.observer = observer;
	}

	RetryPolicy policy() {
		return this.policy;
	}

	/**
	 * Return how many calls of a record have failed, counting one that just did.
	 * @param start the checkpoint as read before the batch
	 * @param done the checkpoint right before the failed record
	 * @return the failed calls
	 */
	static int attemptsAfterFailure(Checkpoint start, RecordKey done) {
		// failed_attempts counts the record right after the checkpoint
		return (done.equals(start.key()) ? start.failedAttempts() : 0) + 1;
	}

	/**
	 * Return whether to give up on a record after a failed call.
	 * @param failure the failure
	 * @param attempts how many calls failed
	 * @param record the record
	 * @return whether the record cannot be read, the failure is not worth retrying, or
	 * the attempts are used up
	 */
	boolean isFinal(Throwable failure, int attempts, ReadRecord record) {
		return record.record() == null || !this.endpoint.isRetryable(failure) || !this.policy.canRetry(attempts);
	}

	/**
	 * Remember a failed call of the record after the checkpoint and wait before the next.
	 * @param expected the checkpoint right before the record
	 * @param record the record
	 * @param attempts how many calls failed
	 * @param failure the failure
	 * @return a backoff, or {@link SubscriptionCheckpoint#lost()} when another instance
	 * took the segment over
	 * @throws SQLException if the database fails
	 */
	NextStep retryLater(RecordKey expected, ReadRecord record, int attempts, Throwable failure) throws SQLException {
		if (!this.checkpoint.recordFailure(expected, attempts, FailureDescription.of(failure))) {
			return this.checkpoint.lost();
		}
		this.observer.handled(this.checkpoint.subscription(), HandlerObserver.Outcome.RETRY);
		Duration delay = this.policy.backoff(attempts);
		try (EventyContextHolder.Scope scope = record.openScope()) {
			if (attempts == 1) {
				logger.warn(
						"Subscription '{}': handler {} failed on record at position {} (attempt 1 of {}), "
								+ "next attempt in {}",
						this.checkpoint.subscription(), this.endpoint.handlerName(), record.key().position(),
						this.policy.maxAttempts(), delay, failure);
			}
			else {
				logger.warn(
						"Subscription '{}': handler failed on record at position {} (attempt {} of {}), "
								+ "next attempt in {}: {}",
						this.checkpoint.subscription(), record.key().position(), attempts, this.policy.maxAttempts(),
						delay, FailureDescription.of(failure));
			}
		}
		return NextStep.backoff(delay);
	}

}
