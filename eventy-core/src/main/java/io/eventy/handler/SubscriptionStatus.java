package io.eventy.handler;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The state of one subscription, as {@link Subscriptions} reports it.
 *
 * @param name the subscription name
 * @param store where its records come from: {@code postgres} or {@code kafka}
 * @param guarantee its delivery guarantee
 * @param segments how its work is split: PostgreSQL segments, or Kafka partitions
 * @param state what it is doing
 * @param checkpoints where each segment or partition is, in order
 * @param lag how many records wait, summed over its checkpoints; {@code -1} when unknown
 * @param rate records handled per second over the last minute, on this instance
 * @param deadLetters how many dead letters it has; {@code -1} when unknown (the store did
 * not answer)
 * @param lastError the last failure of its handler or of the engine, an exception class
 * and message, or {@code null} when there was none since this instance started
 * @param lastErrorAt when the last failure happened, or {@code null}
 */
public record SubscriptionStatus(String name, String store, Guarantee guarantee, int segments, SubscriptionState state,
		List<Checkpoint> checkpoints, long lag, double rate, long deadLetters, @Nullable String lastError,
		@Nullable Instant lastErrorAt) {

	/** Check the status and copy its checkpoints. */
	public SubscriptionStatus {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(store, "store");
		Objects.requireNonNull(guarantee, "guarantee");
		Objects.requireNonNull(state, "state");
		checkpoints = List.copyOf(checkpoints);
	}

	/**
	 * Where one segment (PostgreSQL) or partition (Kafka) of a subscription is.
	 *
	 * @param part the segment number ({@code "0"}, {@code "1"}, …) or the partition
	 * ({@code "orders-events-0"})
	 * @param position on PostgreSQL the global position of the last record done with; on
	 * Kafka the committed offset (the next record to read); {@code -1} when nothing was
	 * committed yet
	 * @param lag how many records wait behind it; {@code -1} when unknown
	 * @param owner the instance that works on it, or {@code null} when none does or it is
	 * not known
	 */
	public record Checkpoint(String part, long position, long lag, @Nullable String owner) {

		/** Check the checkpoint. */
		public Checkpoint {
			Objects.requireNonNull(part, "part");
		}

	}

}
