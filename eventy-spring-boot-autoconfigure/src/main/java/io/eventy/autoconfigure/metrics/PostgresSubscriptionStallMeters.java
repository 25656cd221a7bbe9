package io.eventy.autoconfigure.metrics;

import java.util.Objects;

import io.eventy.handler.HandlerEndpointRegistry;
import io.eventy.store.postgres.PostgresSubscriptions;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Registers the gauge {@value #STALLED} (tag {@code subscription}) for each PostgreSQL
 * subscription of the application once the context is refreshed: how many of its segments
 * on this instance are stalled, unable to read records or move their checkpoint for
 * longer than the stall timeout. Alert on a value above zero.
 */
public final class PostgresSubscriptionStallMeters implements ApplicationListener<ContextRefreshedEvent> {

	/** The name of the stall gauge. */
	public static final String STALLED = "eventy.subscription.stalled";

	private final PostgresSubscriptions subscriptions;

	private final HandlerEndpointRegistry handlers;

	private final MeterRegistry registry;

	/**
	 * Create the stall meters.
	 * @param subscriptions this instance's subscriptions
	 * @param handlers the handlers, one subscription each
	 * @param registry the meter registry
	 */
	public PostgresSubscriptionStallMeters(PostgresSubscriptions subscriptions, HandlerEndpointRegistry handlers,
			MeterRegistry registry) {
		this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
		this.handlers = Objects.requireNonNull(handlers, "handlers");
		this.registry = Objects.requireNonNull(registry, "registry");
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		SubscriptionGauges.register(this.registry, this.handlers, STALLED,
				"Stalled segments of an Eventy subscription on this instance", this.subscriptions,
				PostgresSubscriptionStallMeters::stalled);
	}

	private static double stalled(PostgresSubscriptions running, String subscription) {
		return running.stalls().stream().filter((stall) -> stall.subscription().equals(subscription)).count();
	}

}
