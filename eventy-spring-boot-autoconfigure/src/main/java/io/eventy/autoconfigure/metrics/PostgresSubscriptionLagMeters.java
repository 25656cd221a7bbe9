package io.eventy.autoconfigure.metrics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import io.eventy.handler.HandlerEndpointRegistry;
import io.eventy.store.postgres.PostgresSubscriptionMonitor;
import io.eventy.store.postgres.SubscriptionLag;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Registers the gauges {@value #LAG} and {@value #POSITION} (tag {@code subscription})
 * for each PostgreSQL subscription of the application once the context is refreshed
 * (every handler is known then): how many records were stored after its checkpoint, as
 * the {@link PostgresSubscriptionMonitor} counts them, and the global position of its
 * checkpoint (the lowest of its segments). One measurement of all subscriptions serves
 * every gauge read within {@link #MAX_AGE}, so that a scrape runs the monitor's queries
 * once; a gauge reads {@code NaN} while the database cannot be reached.
 */
public final class PostgresSubscriptionLagMeters implements ApplicationListener<ContextRefreshedEvent> {

	/** The name of the lag gauge. */
	public static final String LAG = SubscriptionGauges.LAG;

	/** The name of the position gauge. */
	public static final String POSITION = SubscriptionGauges.POSITION;

	/** How long one measurement serves. */
	static final Duration MAX_AGE = Duration.ofSeconds(1);

	private static final Logger logger = LoggerFactory.getLogger(PostgresSubscriptionLagMeters.class);

	private final PostgresSubscriptionMonitor monitor;

	private final HandlerEndpointRegistry handlers;

	private final MeterRegistry registry;

	private Map<String, SubscriptionLag> lags = Map.of();

	private long measuredAt;

	private boolean measured;

	/**
	 * Create the lag meters.
	 * @param monitor measures the subscriptions
	 * @param handlers the handlers, one subscription each
	 * @param registry the meter registry
	 */
	public PostgresSubscriptionLagMeters(PostgresSubscriptionMonitor monitor, HandlerEndpointRegistry handlers,
			MeterRegistry registry) {
		this.monitor = Objects.requireNonNull(monitor, "monitor");
		this.handlers = Objects.requireNonNull(handlers, "handlers");
		this.registry = Objects.requireNonNull(registry, "registry");
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		SubscriptionGauges.register(this.registry, this.handlers, LAG,
				"Records stored after the checkpoint of an Eventy subscription", this,
				PostgresSubscriptionLagMeters::lag);
		SubscriptionGauges.register(this.registry, this.handlers, POSITION,
				"Global position of the last record an Eventy subscription is done with", this,
				PostgresSubscriptionLagMeters::position);
	}

	/**
	 * Return the lag of a subscription from a recent measurement.
	 * @param subscription the subscription name
	 * @return the records after its checkpoint, or {@code NaN} when not measurable
	 */
	double lag(String subscription) {
		SubscriptionLag lag = measured(subscription);
		return (lag != null) ? lag.lag() : Double.NaN;
	}

	/**
	 * Return the checkpoint position of a subscription from a recent measurement.
	 * @param subscription the subscription name
	 * @return the position of the last record it is done with, or {@code NaN} when not
	 * measurable
	 */
	double position(String subscription) {
		SubscriptionLag lag = measured(subscription);
		return (lag != null) ? lag.checkpointPosition() : Double.NaN;
	}

	private synchronized @Nullable SubscriptionLag measured(String subscription) {
		long now = System.nanoTime();
		if (!this.measured || now - this.measuredAt > MAX_AGE.toNanos()) {
			this.measured = true;
			this.measuredAt = now;
			this.lags = measure();
		}
		return this.lags.get(subscription);
	}

	private Map<String, SubscriptionLag> measure() {
		try {
			Map<String, SubscriptionLag> lags = new HashMap<>();
			for (SubscriptionLag lag : this.monitor.subscriptions()) {
				lags.put(lag.subscription(), lag);
			}
			return lags;
		}
		catch (RuntimeException ex) {
			logger.debug("Could not measure the subscriptions' lag", ex);
			return Map.of();
		}
	}

}
