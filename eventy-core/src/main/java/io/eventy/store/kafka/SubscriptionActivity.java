package io.eventy.store.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

import io.eventy.handler.HandlerDispatcher;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one subscription did in this instance, for operators: the records it was done with
 * per second over the last minute, its last failure and since when a record has been
 * failing without end, and where its consumers are (position and lag of the partitions
 * they read, from the consumers' own fetch positions: no call to the broker). While the
 * subscription works off a backlog for more than {@link #PROGRESS_INTERVAL}, it logs its
 * progress at most that often.
 * <p>
 * Written on the consumer threads, read from any thread.
 */
final class SubscriptionActivity {

	/** How often progress is logged while catching up, at most. */
	static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(SubscriptionActivity.class);

	private static final int WINDOW_SECONDS = 60;

	private static final long MEASURE_EVERY_MILLIS = 500;

	private final String subscription;

	private final Clock clock;

	/** Records done with, per second of the last minute: second -> count. */
	private final AtomicLongArray counts = new AtomicLongArray(WINDOW_SECONDS);

	private final AtomicLongArray seconds = new AtomicLongArray(WINDOW_SECONDS);

	private final long startedAt;

	private volatile @Nullable String lastError;

	private volatile @Nullable Instant lastErrorAt;

	/** Since when the record at the head of each partition has been failing. */
	private final Map<TopicPartition, Instant> failingSince = new ConcurrentHashMap<>();

	private volatile long position = -1;

	private volatile long lag = -1;

	private long measuredAt;

	private long catchingUpSince = -1;

	private long loggedAt;

	private long positionAtLog;

	SubscriptionActivity(String subscription, Clock clock) {
		this.subscription = subscription;
		this.clock = clock;
		this.startedAt = clock.millis();
	}

	String subscription() {
		return this.subscription;
	}

	/**
	 * Note a record the subscription is done with: handled, or given up on.
	 * @param partition the record's partition
	 */
	void done(TopicPartition partition) {
		this.failingSince.remove(partition);
		long second = this.clock.millis() / 1000;
		int slot = (int) (second % WINDOW_SECONDS);
		if (this.seconds.get(slot) != second) {
			this.seconds.set(slot, second);
			this.counts.set(slot, 0);
		}
		this.counts.incrementAndGet(slot);
	}

	/**
	 * Note a failed attempt at a record.
	 * @param partition the record's partition
	 * @param failure what failed
	 */
	void failed(TopicPartition partition, Throwable failure) {
		Instant now = this.clock.instant();
		this.lastError = HandlerDispatcher.describe(failure);
		this.lastErrorAt = now;
		this.failingSince.putIfAbsent(partition, now);
	}

	/**
	 * Forget a partition this instance no longer reads.
	 * @param partition the partition
	 */
	void forget(TopicPartition partition) {
		this.failingSince.remove(partition);
	}

	/**
	 * Note a failure of the engine rather than of a record, such as a consumer that
	 * stopped.
	 * @param description what happened
	 */
	void failed(String description) {
		this.lastError = description;
		this.lastErrorAt = this.clock.instant();
	}

	/**
	 * Return the records done with per second over the last minute (or since the start
	 * when that was less than a minute ago).
	 * @return the rate
	 */
	double rate() {
		long now = this.clock.millis();
		long second = now / 1000;
		long total = 0;
		for (int i = 0; i < WINDOW_SECONDS; i++) {
			long at = this.seconds.get(i);
			if (at > second - WINDOW_SECONDS && at <= second) {
				total += this.counts.get(i);
			}
		}
		double window = Math.min(WINDOW_SECONDS, Math.max(1.0, (now - this.startedAt) / 1000.0));
		return total / window;
	}

	@Nullable String lastError() {
		return this.lastError;
	}

	@Nullable Instant lastErrorAt() {
		return this.lastErrorAt;
	}

	/**
	 * Return since when a record has been failing without the subscription being done
	 * with it, the longest of its partitions.
	 * @return when its first failure happened, or {@code null} when nothing is failing
	 */
	@Nullable Instant failingSince() {
		return this.failingSince.values().stream().min(Instant::compareTo).orElse(null);
	}

	/**
	 * Return the sum of the positions of the partitions this instance reads.
	 * @return the positions, {@code -1} before the consumers measured them
	 */
	long position() {
		return this.position;
	}

	/**
	 * Return how many records wait on the partitions this instance reads.
	 * @return the lag, {@code -1} when not known
	 */
	long lag() {
		return this.lag;
	}

	/**
	 * Measure the position and lag of a consumer's partitions, at most twice a second,
	 * and log progress while catching up. Runs on the consumer thread.
	 * @param consumer the consumer
	 */
	void measure(Consumer<?, ?> consumer) {
		long now = this.clock.millis();
		if (this.measuredAt != 0 && now - this.measuredAt < MEASURE_EVERY_MILLIS) {
			return;
		}
		this.measuredAt = now;
		Set<TopicPartition> assignment = consumer.assignment();
		long positions = 0;
		long lags = 0;
		boolean known = !assignment.isEmpty();
		for (TopicPartition partition : assignment) {
			try {
				positions += consumer.position(partition, Duration.ZERO);
				OptionalLong partitionLag = consumer.currentLag(partition);
				if (partitionLag.isPresent()) {
					lags += partitionLag.getAsLong();
				}
				else {
					known = false;
				}
			}
			catch (RuntimeException ex) {
				// no position yet: known once the consumer fetched
				known = false;
			}
		}
		if (assignment.isEmpty()) {
			this.position = -1;
			this.lag = 0;
			return;
		}
		this.position = known ? positions : this.position;
		this.lag = known ? lags : -1;
		if (known) {
			progress(now, positions, lags);
		}
	}

	private void progress(long now, long positions, long lags) {
		if (lags <= 0) {
			if (this.catchingUpSince >= 0 && this.loggedAt > this.catchingUpSince) {
				logger.info("Subscription {} caught up in this instance at position {}", this.subscription, positions);
			}
			this.catchingUpSince = -1;
			return;
		}
		if (this.catchingUpSince < 0) {
			// a backlog shorter than the interval is never logged
			this.catchingUpSince = now;
			this.loggedAt = now;
			this.positionAtLog = positions;
			return;
		}
		if (now - this.loggedAt >= PROGRESS_INTERVAL.toMillis()) {
			double seconds = (now - this.loggedAt) / 1e3;
			double rate = Math.max(0, positions - this.positionAtLog) / seconds;
			String eta = (rate > 0) ? Duration.ofSeconds((long) Math.ceil(lags / rate)).toString() : "unknown";
			logger.info(
					"Subscription {} catching up in this instance: position {}, lag {}, {} records/s, "
							+ "caught up in about {}",
					this.subscription, positions, lags, String.format(Locale.ROOT, "%.1f", rate), eta);
			this.loggedAt = now;
			this.positionAtLog = positions;
		}
	}

}
