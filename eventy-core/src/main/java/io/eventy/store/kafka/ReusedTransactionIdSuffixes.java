package io.eventy.store.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.TransactionIdSuffixStrategy;
import org.springframework.util.Assert;

/**
 * Hands out the suffixes of transactional ids so that a process reuses its ids: a new
 * producer gets the lowest suffix no open producer holds, and a new suffix only when
 * every one is held. The ids of a prefix are so {@code <prefix>0} to {@code <prefix>n-1},
 * {@code n} the most producers the process had open at once.
 * <p>
 * A producer replaced after a failure (a commit that timed out, for example) hands its id
 * to the next producer, which fences it when it initializes its transactions: the broker
 * aborts the transaction the failed producer left open at once, instead of after the
 * transaction timeout, and {@code read_committed} readers of its partitions go on. Spring
 * Kafka opens a producer only when none of its idle ones is left: while others remain,
 * the id is reused when one more producer is needed. Spring Kafka's own strategy numbers
 * producers on ({@code -0}, {@code -1}, ...) and fences nothing; with a cache it throws
 * when every id is held, and it reuses the id released first, not the one released last.
 */
final class ReusedTransactionIdSuffixes implements TransactionIdSuffixStrategy {

	private final Map<String, Suffixes> suffixes = new HashMap<>();

	@Override
	public synchronized String acquireSuffix(@Nullable String txIdPrefix) {
		Assert.notNull(txIdPrefix, "'txIdPrefix' must not be null");
		return Integer.toString(this.suffixes.computeIfAbsent(txIdPrefix, (prefix) -> new Suffixes()).acquire());
	}

	@Override
	public synchronized void releaseSuffix(@Nullable String txIdPrefix, @Nullable String suffix) {
		Suffixes held = (txIdPrefix != null) ? this.suffixes.get(txIdPrefix) : null;
		if (held != null && suffix != null) {
			held.release(Integer.parseInt(suffix));
		}
	}

	/**
	 * The suffixes of one prefix.
	 */
	private static final class Suffixes {

		private final TreeSet<Integer> free = new TreeSet<>();

		private int next;

		int acquire() {
			Integer lowest = this.free.pollFirst();
			return (lowest != null) ? lowest : this.next++;
		}

		void release(int suffix) {
			if (suffix < this.next) {
				this.free.add(suffix);
			}
		}

	}

}
