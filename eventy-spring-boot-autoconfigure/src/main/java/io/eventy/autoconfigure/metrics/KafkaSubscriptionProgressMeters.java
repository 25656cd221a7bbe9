package io.eventy.autoconfigure.metrics;

import java.util.Objects;

import io.eventy.handler.HandlerEndpointRegistry;
import io.eventy.store.kafka.KafkaSubscriptions;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Registers the gauges {@value #LAG} and {@value #POSITION} (tag {@code subscription})
 * for each Kafka subscription of the application once the context is refreshed: the
 * records waiting on the partitions this instance reads, and the sum of their positions
 * (offsets), as the subscription's consumers measured them after their last record or
 * poll. A scrape reads what the consumers measured: it never calls the broker. Each
 * instance reports its own partitions: sum the gauges over the instances for the whole
 * subscription. A gauge reads {@code NaN} until the consumers measured.
 */
public final class KafkaSubscriptionProgressMeters implements ApplicationListener<ContextRefreshedEvent> {

	/** The name of the lag gauge. */
	public static final String LAG = SubscriptionGauges.LAG;

	/** The name of the position gauge. */
	public static final String POSITION = SubscriptionGauges.POSITION;

	private final KafkaSubscriptions subscriptions;

	private final HandlerEndpointRegistry handlers;

	private final MeterRegistry registry;

	/**
	 * Create the meters.
	 * @param subscriptions the Kafka subscriptions
	 * @param handlers the handlers, one subscription each
	 * @param registry the meter registry
	 */
	public KafkaSubscriptionProgressMeters(KafkaSubscriptions subscriptions, HandlerEndpointRegistry handlers,
			MeterRegistry registry) {
		this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
		this.handlers = Objects.requireNonNull(handlers, "handlers");
		this.registry = Objects.requireNonNull(registry, "registry");
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		SubscriptionGauges.register(this.registry, this.handlers, LAG,
				"Records waiting on the partitions this instance reads for an Eventy subscription", this.subscriptions,
				(running, subscription) -> orNaN(running.lag(subscription)));
		SubscriptionGauges.register(this.registry, this.handlers, POSITION,
				"Sum of the offsets of the partitions this instance reads for an Eventy subscription",
				this.subscriptions, (running, subscription) -> orNaN(running.position(subscription)));
	}

	private static double orNaN(long value) {
		return (value < 0) ? Double.NaN : value;
	}

}
