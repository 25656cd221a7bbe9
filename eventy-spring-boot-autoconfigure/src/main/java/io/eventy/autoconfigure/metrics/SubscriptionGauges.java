package io.eventy.autoconfigure.metrics;

import java.util.function.ToDoubleBiFunction;

import io.eventy.handler.HandlerEndpoint;
import io.eventy.handler.HandlerEndpointRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The gauges of subscriptions, one per subscription (tag {@code subscription}), as every
 * store's meters register them.
 */
final class SubscriptionGauges {

	/** The name of the lag gauge, on every store. */
	static final String LAG = "eventy.subscription.lag";

	/** The name of the position gauge, on every store. */
	static final String POSITION = "eventy.subscription.position";

	private SubscriptionGauges() {
	}

	/**
	 * Register a gauge for each subscription of the application's handlers.
	 * @param <T> what the gauges read
	 * @param registry the meter registry
	 * @param handlers the handlers, one subscription each
	 * @param name the gauge's name
	 * @param description the gauge's description
	 * @param source what the gauges read, held weakly by the registry as any gauge's
	 * @param value the value of a subscription's gauge, from the source and the
	 * subscription's name
	 */
	static <T> void register(MeterRegistry registry, HandlerEndpointRegistry handlers, String name, String description,
			T source, ToDoubleBiFunction<T, String> value) {
		for (HandlerEndpoint endpoint : handlers.endpoints()) {
			String subscription = endpoint.subscription();
			Gauge.builder(name, source, (read) -> value.applyAsDouble(read, subscription))
				.description(description)
				.tag("subscription", subscription)
				.register(registry);
		}
	}

}
