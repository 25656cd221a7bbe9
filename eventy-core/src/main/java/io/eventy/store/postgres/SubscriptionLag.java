package io.eventy.store.postgres;

import org.jspecify.annotations.Nullable;

/**
 * How far one subscription is behind.
 *
 * @param subscription the subscription name
 * @param checkpointPosition the position of the last record it is done with, {@code 0}
 * before the first
 * @param lag how many records (of every type) were stored after its checkpoint, counted
 * up to {@link PostgresSubscriptionMonitor#MAX_COUNTED}
 * @param failedAttempts how many calls of its next record failed
 * @param lastError the last failure of its next record, or {@code null}
 * @param deadLetters how many dead letters it has
 */
public record SubscriptionLag(String subscription, long checkpointPosition, long lag, int failedAttempts,
		@Nullable String lastError, long deadLetters) {
}
