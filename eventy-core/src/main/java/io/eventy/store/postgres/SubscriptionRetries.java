package io.eventy.store.postgres;

import java.sql.SQLException;
import java.time.Duration;

import io.eventy.context.EventyContextHolder;
import io.eventy.handler.HandlerDispatcher;
import io.eventy.handler.RetryPolicy;
import io.eventy.store.postgres.SubscriptionRecordReader.ReadRecord;

/**
 * Keeps count of a segment's failed calls and decides what follows one: another attempt
 * after a backoff, or giving up. The failed calls of the record after the checkpoint are
 * counted in the segment's row, so the count survives a restart and a change of instance.
 */
final class SubscriptionRetries {

	private final HandlerDispatcher dispatcher;

	private final RetryPolicy policy;

	private final SubscriptionCheckpoint checkpoint;

	SubscriptionRetries(HandlerDispatcher dispatcher, RetryPolicy policy, SubscriptionCheckpoint checkpoint) {
		this.dispatcher = dispatcher;
		this.policy = policy;
		this.checkpoint = checkpoint;
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
		return record.record() == null || this.dispatcher.givesUp(failure, attempts, this.policy);
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
		if (!this.checkpoint.recordFailure(expected, attempts, HandlerDispatcher.describe(failure))) {
			return this.checkpoint.lost();
		}
		Duration delay = this.policy.backoff(attempts);
		try (EventyContextHolder.Scope scope = record.openScope()) {
			this.dispatcher.retrying("at position " + record.key().position(), attempts, this.policy, delay, failure);
		}
		return NextStep.backoff(delay);
	}

}
