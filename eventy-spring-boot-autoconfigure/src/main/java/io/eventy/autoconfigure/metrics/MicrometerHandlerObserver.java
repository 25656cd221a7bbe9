package io.eventy.autoconfigure.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.eventy.handler.HandlerObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * A {@link HandlerObserver} that records Micrometer meters: the counter {@value #RECORDS}
 * (tags {@code subscription}, {@code outcome}: {@code success}, {@code retry},
 * {@code dead_letter}) and the timer {@value #DURATION} (tags {@code subscription},
 * {@code outcome}: {@code success}, {@code failure}).
 */
public final class MicrometerHandlerObserver implements HandlerObserver {

	/** The name of the counter of records by how an attempt at each ended. */
	public static final String RECORDS = "eventy.handler.records";

	/** The name of the timer of handler calls. */
	public static final String DURATION = "eventy.handler.duration";

	private final MeterRegistry registry;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	/**
	 * Create an observer that records to a registry.
	 * @param registry the meter registry
	 */
	public MicrometerHandlerObserver(MeterRegistry registry) {
		this.registry = Objects.requireNonNull(registry, "registry");
	}

	@Override
	public void called(String subscription, Duration duration, boolean succeeded) {
		String outcome = succeeded ? "success" : "failure";
		this.timers
			.computeIfAbsent(subscription + '\u0000' + outcome,
					(key) -> Timer.builder(DURATION)
						.description("Calls of the handler of an Eventy subscription")
						.tag("subscription", subscription)
						.tag("outcome", outcome)
						.register(this.registry))
			.record(duration);
	}

	@Override
	public void handled(String subscription, Outcome outcome) {
		String tag = outcome.name().toLowerCase(Locale.ROOT);
		this.counters
			.computeIfAbsent(subscription + '\u0000' + tag,
					(key) -> Counter.builder(RECORDS)
						.description("Records of an Eventy subscription, by how an attempt at each ended")
						.tag("subscription", subscription)
						.tag("outcome", tag)
						.register(this.registry))
			.increment();
	}

}
