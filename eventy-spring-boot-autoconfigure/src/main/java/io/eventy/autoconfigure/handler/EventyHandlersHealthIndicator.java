package io.eventy.autoconfigure.handler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.eventy.store.postgres.PostgresSubscriptionMonitor;
import io.eventy.store.postgres.PostgresSubscriptions;
import io.eventy.store.postgres.ReadHorizon;
import io.eventy.store.postgres.SubscriptionLag;
import io.eventy.store.postgres.SubscriptionStall;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Reports each subscription's lag, failed attempts and dead letters (and {@code paused}
 * when an operator paused it, which is not DOWN either), and whether reading is held back
 * by a long-running transaction elsewhere in the PostgreSQL cluster. Being behind or held
 * back is reported in the details, not as DOWN: restarting the application would not
 * help; finding the old transaction does ({@code readHorizon} names its backend's process
 * id when the database shows it). A segment of this instance that is stalled, unable to
 * read records or move its checkpoint for longer than the stall timeout, makes the health
 * DOWN, with {@code stalled}, {@code stalledSince} and {@code stallCause} in its
 * subscription's details.
 */
public final class EventyHandlersHealthIndicator extends AbstractHealthIndicator {

	private final PostgresSubscriptionMonitor monitor;

	private final @Nullable PostgresSubscriptions running;

	/**
	 * Create a health indicator.
	 * @param monitor measures the subscriptions
	 * @param running this instance's subscriptions, whose stalled segments it reports, or
	 * {@code null}
	 */
	public EventyHandlersHealthIndicator(PostgresSubscriptionMonitor monitor, @Nullable PostgresSubscriptions running) {
		super("Eventy subscriptions could not be measured");
		this.monitor = monitor;
		this.running = running;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Map<String, SubscriptionStall> stalls = new LinkedHashMap<>();
		if (this.running != null) {
			this.running.stalls().forEach((stall) -> stalls.putIfAbsent(stall.subscription(), stall));
		}
		Map<String, Object> subscriptions = new LinkedHashMap<>();
		List<String> paused = this.monitor.paused();
		for (SubscriptionLag lag : this.monitor.subscriptions()) {
			Map<String, Object> details = new LinkedHashMap<>();
			if (paused.contains(lag.subscription())) {
				details.put("paused", true);
			}
			details.put("checkpointPosition", lag.checkpointPosition());
			details.put("lag", lag.lag());
			details.put("failedAttempts", lag.failedAttempts());
			if (lag.lastError() != null) {
				details.put("lastError", lag.lastError());
			}
			details.put("deadLetters", lag.deadLetters());
			SubscriptionStall stall = stalls.get(lag.subscription());
			if (stall != null) {
				details.put("stalled", true);
				details.put("stalledSince", stall.since().toString());
				details.put("stallCause", stall.cause());
			}
			subscriptions.put(lag.subscription(), details);
		}
		ReadHorizon horizon = this.monitor.horizon();
		Map<String, Object> readHorizon = new LinkedHashMap<>();
		readHorizon.put("heldBack", horizon.heldBack());
		readHorizon.put("waitingRecords", horizon.waitingRecords());
		readHorizon.put("heldBackFor", horizon.heldBackFor().toString());
		if (horizon.oldestTransactionStartedAt() != null) {
			readHorizon.put("oldestTransactionStartedAt", horizon.oldestTransactionStartedAt().toString());
			readHorizon.put("oldestTransactionPid", horizon.oldestTransactionPid());
		}
		(stalls.isEmpty() ? builder.up() : builder.down()).withDetail("subscriptions", subscriptions)
			.withDetail("readHorizon", readHorizon);
	}

}
