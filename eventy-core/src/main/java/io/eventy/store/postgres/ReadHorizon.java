package io.eventy.store.postgres;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Whether subscriptions are held back: committed records that no subscription may read
 * yet because an older transaction, anywhere in the PostgreSQL cluster, is still running.
 * Readers never pass a running transaction, so one that stays open for minutes delays
 * every subscription by as much; this is the price of never skipping a record.
 *
 * @param waitingRecords how many committed records wait for an older transaction, counted
 * up to {@link PostgresSubscriptionMonitor#MAX_COUNTED}
 * @param oldestWaitingRecordAt when the oldest waiting record was recorded, or
 * {@code null} when none waits
 * @param oldestTransactionStartedAt when the oldest running transaction that holds an id
 * started, or {@code null} when none runs or the database does not show it to this user
 * @param oldestTransactionPid the process id of that transaction's backend, or
 * {@code null}
 * @param checkedAt when this was measured, by the database's clock
 */
public record ReadHorizon(long waitingRecords, @Nullable Instant oldestWaitingRecordAt,
		@Nullable Instant oldestTransactionStartedAt, @Nullable Integer oldestTransactionPid, Instant checkedAt) {

	/**
	 * Return whether committed records wait for an older transaction.
	 * @return {@code true} when at least one record waits
	 */
	public boolean heldBack() {
		return this.waitingRecords > 0;
	}

	/**
	 * Return how long the oldest waiting record has waited.
	 * @return the wait, {@link Duration#ZERO} when none waits
	 */
	public Duration heldBackFor() {
		Instant oldest = this.oldestWaitingRecordAt;
		if (oldest == null || oldest.isAfter(this.checkedAt)) {
			return Duration.ZERO;
		}
		return Duration.between(oldest, this.checkedAt);
	}

}
