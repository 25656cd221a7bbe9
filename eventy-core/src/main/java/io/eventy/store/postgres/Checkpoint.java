package io.eventy.store.postgres;

import org.jspecify.annotations.Nullable;

/**
 * A subscription's row: the last record it is done with, and the failed calls of the
 * record after it.
 *
 * @param subscription the subscription name
 * @param key the last record done with, {@link RecordKey#START} before the first
 * @param failedAttempts how many calls of the next record failed
 * @param lastError the last failure of the next record, or {@code null}
 */
record Checkpoint(String subscription, RecordKey key, int failedAttempts, @Nullable String lastError) {
}
