package io.eventy.autoconfigure.handler;

import java.util.LinkedHashMap;
import java.util.Map;

import io.eventy.store.postgres.PostgresSubscriptionMonitor;
import io.eventy.store.postgres.ReadHorizon;
import io.eventy.store.postgres.SubscriptionLag;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Reports each subscription's lag, failed attempts and dead letters, and whether reading
 * is held back by a long-running transaction elsewhere in the PostgreSQL cluster. Being
 * behind or held back is reported in the details, not as DOWN: restarting the application
 * would not help; finding the old transaction does ({@code readHorizon} names its
 * backend's process id when the database shows it).
 */
public final class EventyHandlersHealthIndicator extends AbstractHealthIndicator {

	private final PostgresSubscriptionMonitor monitor;

	/**
	 * Create a health indicator.
	 * @param monitor measures the subscriptions
	 */
	public EventyHandlersHealthIndicator(PostgresSubscriptionMonitor monitor) {
		super("Eventy subscriptions could not be measured");
		this.monitor = monitor;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Map<String, Object> subscriptions = new LinkedHashMap<>();
		for (SubscriptionLag lag : this.monitor.subscriptions()) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("checkpointPosition", lag.checkpointPosition());
			details.put("lag", lag.lag());
			details.put("failedAttempts", lag.failedAttempts());
			if (lag.lastError() != null) {
				details.put("lastError", lag.lastError());
			}
			details.put("deadLetters", lag.deadLetters());
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
		builder.up().withDetail("subscriptions", subscriptions).withDetail("readHorizon", readHorizon);
	}

}
