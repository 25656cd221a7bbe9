package io.eventy.store.postgres;

import org.jspecify.annotations.Nullable;

/**
 * A segment's row: the last record it is done with, the failed calls of the record after
 * it, and which instance owns it.
 *
 * @param subscription the subscription name
 * @param segment the segment
 * @param key the last record done with, {@link RecordKey#START} before the first
 * @param failedAttempts how many calls of the next record failed
 * @param lastError the last failure of the next record, or {@code null}
 * @param owner the instance that owns the segment, or {@code null}
 * @param owned whether that instance's lease still runs
 */
record Checkpoint(String subscription, Segment segment, RecordKey key, int failedAttempts, @Nullable String lastError,
		@Nullable String owner, boolean owned) {

	/**
	 * Return whether an instance may claim this segment.
	 * @param instance the instance
	 * @return whether nobody owns it, its owner's lease ran out, or the instance owns it
	 */
	boolean claimableBy(String instance) {
		return this.owner == null || !this.owned || this.owner.equals(instance);
	}

}
