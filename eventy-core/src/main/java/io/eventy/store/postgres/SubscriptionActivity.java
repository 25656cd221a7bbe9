package io.eventy.store.postgres;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.eventy.handler.HandlerDispatcher;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this instance's workers did, per subscription, kept in memory for
 * {@link PostgresSubscriptionControls}: records handled per second over the last minute
 * (sixty one-second counts), the last failure of the handler, whether the subscription
 * reads full batches (it catches up), and the catch-up progress line, logged at most once
 * per interval per subscription. Every method is cheap and thread-safe: the segments of a
 * subscription share one tracker.
 */
final class SubscriptionActivity {

	private static final Logger logger = LoggerFactory.getLogger(SubscriptionActivity.class);

	/** How long after its last full batch a subscription still counts as catching up. */
	static final Duration READING_AHEAD = Duration.ofSeconds(5);

	/** How often a catching-up subscription logs its progress, at most. */
	static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);

	private final Map<String, Tracker> trackers = new ConcurrentHashMap<>();

	private final Duration progressInterval;

	SubscriptionActivity() {
		this(PROGRESS_INTERVAL);
	}

	SubscriptionActivity(Duration progressInterval) {
		this.progressInterval = progressInterval;
	}

	/**
	 * Return the tracker of a subscription, created when first asked for.
	 * @param subscription the subscription name
	 * @return its tracker
	 */
	Tracker of(String subscription) {
		return this.trackers.computeIfAbsent(subscription, (name) -> new Tracker(name, this.progressInterval));
	}

	/**
	 * What the workers of one subscription did on this instance.
	 */
	static final class Tracker {

		private static final int SECONDS = 60;

		private final String subscription;

		private final Duration progressInterval;

		private final long[] counts = new long[SECONDS];

		private final long[] seconds = new long[SECONDS];

		private final long startedAt = System.nanoTime();

		private volatile @Nullable Failure lastFailure;

		private volatile long fullBatchAt = Long.MIN_VALUE;

		/** Where each segment was after its last full batch, and when (nanos). */
		private final Map<Integer, long[]> positions = new ConcurrentHashMap<>();

		private long progressAt = Long.MIN_VALUE;

		private long progressPosition;

		Tracker(String subscription, Duration progressInterval) {
			this.subscription = subscription;
			this.progressInterval = progressInterval;
		}

		String subscription() {
			return this.subscription;
		}

		/**
		 * Count a record the handler took, successfully.
		 */
		synchronized void handled() {
			long second = (System.nanoTime() - this.startedAt) / 1_000_000_000L;
			int slot = (int) (second % SECONDS);
			if (this.seconds[slot] != second) {
				this.seconds[slot] = second;
				this.counts[slot] = 0;
			}
			this.counts[slot]++;
		}

		/**
		 * Remember a failure.
		 * @param failure the handler's failure
		 */
		void failed(Throwable failure) {
			this.lastFailure = new Failure(HandlerDispatcher.describe(failure), Instant.now());
		}

		/**
		 * Return the records handled per second over the last minute, or since this
		 * instance started when that is less than a minute ago.
		 * @return the rate
		 */
		synchronized double rate() {
			long now = (System.nanoTime() - this.startedAt) / 1_000_000_000L;
			long total = 0;
			for (int slot = 0; slot < SECONDS; slot++) {
				// the current second counts too, so that the rate shows at once
				if (this.counts[slot] > 0 && this.seconds[slot] > now - SECONDS) {
					total += this.counts[slot];
				}
			}
			double elapsed = Math.min(SECONDS, Math.max(1, (System.nanoTime() - this.startedAt) / 1e9));
			return total / elapsed;
		}

		/**
		 * Return the last failure of the handler on this instance.
		 * @return the failure, or {@code null} when there was none
		 */
		@Nullable Failure lastFailure() {
			return this.lastFailure;
		}

		/**
		 * Note that a worker read a full batch: more records wait, and the next batch is
		 * read ahead.
		 */
		void fullBatch() {
			this.fullBatchAt = System.nanoTime();
		}

		/**
		 * Return whether a worker read a full batch lately.
		 * @return whether the subscription reads ahead
		 */
		boolean readingAhead() {
			long at = this.fullBatchAt;
			return at != Long.MIN_VALUE && System.nanoTime() - at < READING_AHEAD.toNanos();
		}

		/**
		 * Note where a segment is after a full batch, and log the subscription's progress
		 * when the last line is older than the interval and it is more than a batch
		 * behind.
		 * @param segment the segment
		 * @param position the position of the last record it read
		 * @param batchSize the batch size
		 * @param head the newest position stored; read only when a line is due
		 */
		void progressed(Segment segment, long position, int batchSize, Head head) {
			long now = System.nanoTime();
			this.positions.put(segment.index(), new long[] { position, now });
			long slowest;
			long since;
			long previous;
			synchronized (this) {
				if (this.progressAt != Long.MIN_VALUE && now - this.progressAt < this.progressInterval.toNanos()) {
					return;
				}
				// a segment that has not read a full batch lately (caught up, or handed
				// over to another instance) no longer holds the subscription back
				long recent = now - 3 * this.progressInterval.toNanos();
				slowest = this.positions.values()
					.stream()
					.filter((entry) -> entry[1] - recent >= 0)
					.mapToLong((entry) -> entry[0])
					.min()
					.orElse(position);
				since = this.progressAt;
				previous = this.progressPosition;
				this.progressAt = now;
				this.progressPosition = slowest;
			}
			if (since == Long.MIN_VALUE || slowest < previous) {
				// the first full batch, or one after a reset: the rate is known from the
				// next one
				return;
			}
			long newest;
			try {
				newest = head.position();
			}
			catch (Exception ex) {
				logger.debug("Subscription '{}' could not read the newest position for its progress", this.subscription,
						ex);
				return;
			}
			long behind = Math.max(0, newest - slowest);
			if (behind <= batchSize) {
				return;
			}
			double rate = (slowest - previous) / ((now - since) / 1e9);
			String eta = (rate > 0) ? "caught up in about " + format(Duration.ofSeconds((long) (behind / rate) + 1))
					: "not moving";
			logger.info("Subscription '{}' catches up: at position {}, {} records behind, {} records/s, {}",
					this.subscription, slowest, behind, Math.round(rate), eta);
		}

		private static String format(Duration duration) {
			return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
		}

	}

	/**
	 * Reads the newest position stored.
	 */
	@FunctionalInterface
	interface Head {

		/**
		 * Read it.
		 * @return the position of the newest record, {@code 0} when there is none
		 * @throws Exception if the database fails
		 */
		long position() throws Exception;

	}

	/**
	 * A failure of a handler.
	 *
	 * @param description the exception class and message
	 * @param at when it happened
	 */
	record Failure(String description, Instant at) {
	}

}
