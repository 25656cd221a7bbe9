package io.eventy.store.postgres;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the database work of one {@link SubscriptionWorker} (reading records, reading
 * and moving its checkpoint, writing dead letters), so that a call that does not return
 * shows as a stall: on a network that stops passing bytes without closing the connection,
 * a connection with no socket timeout waits forever and no failure ever reaches the
 * worker. The watch runs from the start of each step to its end, and stops while the
 * handler is called and while the worker waits: a slow handler is not a stall.
 * <p>
 * The worker, stuck in its call, cannot say so itself: whichever thread asks for the
 * {@link #stall() stall} first (the heartbeat, a health check, a metric) logs it, once;
 * the worker logs when its call returns.
 */
final class DatabaseCallWatch {

	private static final Logger logger = LoggerFactory.getLogger(DatabaseCallWatch.class);

	private static final long IDLE = Long.MIN_VALUE;

	private final String subscription;

	private final Segment segment;

	private final Duration stallTimeout;

	/** When the worker's current database work began ({@code System.nanoTime()}). */
	private volatile long since = IDLE;

	/** The database work already reported stalled, by when it began. */
	private final AtomicLong reported = new AtomicLong(IDLE);

	DatabaseCallWatch(String subscription, Segment segment, Duration stallTimeout) {
		this.subscription = subscription;
		this.segment = segment;
		this.stallTimeout = stallTimeout;
	}

	/**
	 * Note that the worker starts database work.
	 */
	void start() {
		long now = System.nanoTime();
		this.since = (now != IDLE) ? now : now + 1;
	}

	/**
	 * Note that the worker's database work ended, and log that the segment moves again
	 * when it was reported stalled.
	 */
	void returned() {
		Duration stalled = stop();
		if (stalled != null) {
			logger.info("Subscription '{}' segment {} moves again after {} stalled: its database call returned",
					this.subscription, this.segment, stalled.truncatedTo(ChronoUnit.MILLIS));
		}
	}

	/**
	 * Note that the worker's database work ended, with a failure or because it stops.
	 * @return how long it had run when it was reported stalled, else {@code null}
	 */
	@Nullable Duration stop() {
		this.since = IDLE;
		// a plain read first: this runs around every handler call, a stall is rare
		if (this.reported.get() == IDLE) {
			return null;
		}
		long reported = this.reported.getAndSet(IDLE);
		return (reported != IDLE) ? Duration.ofNanos(System.nanoTime() - reported) : null;
	}

	/**
	 * Return whether the worker's current database work has run for longer than the stall
	 * timeout, logging it the first time it is seen.
	 * @return the stall, or {@code null}
	 */
	@Nullable SubscriptionStall stall() {
		long since = this.since;
		if (since == IDLE) {
			return null;
		}
		Duration running = Duration.ofNanos(System.nanoTime() - since);
		if (running.compareTo(this.stallTimeout) < 0) {
			return null;
		}
		Duration shown = running.truncatedTo(ChronoUnit.SECONDS);
		long previous = this.reported.get();
		if (previous != since && this.reported.compareAndSet(previous, since)) {
			logger.error(
					"Subscription '{}' segment {} is stalled: a database call has not returned for {}; the "
							+ "connection may wait on a network that stopped passing bytes (a socket timeout on the "
							+ "store's connections makes such a call fail, so that the worker tries again)",
					this.subscription, this.segment, shown);
		}
		return new SubscriptionStall(this.subscription, this.segment.index(), Instant.now().minus(running),
				"a database call has not returned for " + shown);
	}

}
