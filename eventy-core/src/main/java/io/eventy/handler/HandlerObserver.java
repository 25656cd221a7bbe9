package io.eventy.handler;

import java.time.Duration;

/**
 * Observes how the subscriptions of both stores handle records: each call of a handler
 * and how each record's handling ends. Metrics implement it (the auto-configuration
 * adapts Micrometer); {@link #noop()} serves when nothing observes.
 * <p>
 * Methods are called on the subscriptions' threads, right after the event; they must be
 * quick, thread-safe and never throw.
 */
public interface HandlerObserver {

	/**
	 * Note one call of a subscription's handler.
	 * @param subscription the subscription name
	 * @param duration how long the call took, with the transaction it runs in for
	 * {@link Guarantee#EXACTLY_ONCE} on PostgreSQL
	 * @param succeeded whether it returned normally (a failed request answered with an
	 * error response counts as returned)
	 */
	default void called(String subscription, Duration duration, boolean succeeded) {
	}

	/**
	 * Note where one attempt at a record ended.
	 * @param subscription the subscription name
	 * @param outcome how it ended
	 */
	default void handled(String subscription, Outcome outcome) {
	}

	/**
	 * Return an observer that does nothing.
	 * @return the no-op observer
	 */
	static HandlerObserver noop() {
		return NoopHandlerObserver.INSTANCE;
	}

	/**
	 * How an attempt at a record ended.
	 */
	enum Outcome {

		/** The handler handled the record (or answered a failed request). */
		SUCCESS,

		/** The handler failed; the record is tried again after a backoff. */
		RETRY,

		/** The subscription gave up on the record and made it a dead letter. */
		DEAD_LETTER

	}

}
