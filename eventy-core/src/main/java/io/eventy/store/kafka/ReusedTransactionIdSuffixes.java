package io.eventy.store.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.TransactionIdSuffixStrategy;
import org.springframework.util.Assert;

/**
 * Hands out the suffixes of transactional ids so that a process reuses its ids: a new
 * producer gets the lowest suffix no open producer holds, and a new suffix only when
 * every one is held. The ids of a prefix are so {@code <prefix>0} to {@code <prefix>n-1},
 * {@code n} the most producers the process had open at once, and a restarted process with
 * the same prefix uses the ids its predecessor used.
 * <p>
 * With a {@code fencer}, an id released while its factory is not being destroyed (its
 * producer was closed after a failure, such as a commit that timed out) is fenced at
 * once, on a thread of its own and again after a pause while the broker does not answer,
 * and handed out again only then: the broker aborts the transaction the failed producer
 * left open, instead of after the transaction timeout, and {@code read_committed} readers
 * of its partitions go on. Waiting for the next producer to take over the id is not
 * enough: Spring Kafka opens a producer only when none of its idle ones is left. Spring
 * Kafka's own strategy numbers producers on ({@code -0}, {@code -1}, ...) and fences
 * nothing; with a cache it throws when every id is held.
 */
final class ReusedTransactionIdSuffixes implements TransactionIdSuffixStrategy {

	private static final Logger logger = LoggerFactory.getLogger(ReusedTransactionIdSuffixes.class);

	private static final int MAX_FENCING_ATTEMPTS = 10;

	private final Map<String, Suffixes> suffixes = new HashMap<>();

	private final @Nullable Consumer<String> fencer;

	private @Nullable ScheduledExecutorService fencing;

	private boolean destroying;

	/**
	 * Create a strategy that reuses ids without fencing them.
	 */
	ReusedTransactionIdSuffixes() {
		this(null);
	}

	/**
	 * Create a strategy that fences each id a producer releases before it hands it out
	 * again.
	 * @param fencer fences a transactional id, blocking until done; {@code null} to fence
	 * nothing
	 */
	ReusedTransactionIdSuffixes(@Nullable Consumer<String> fencer) {
		this.fencer = fencer;
	}

	/**
	 * Say whether the producers are being closed because their factory is destroyed: the
	 * ids they release then are not fenced.
	 * @param destroying {@code true} while the factory closes its producers
	 */
	synchronized void setDestroying(boolean destroying) {
		this.destroying = destroying;
	}

	@Override
	public synchronized String acquireSuffix(@Nullable String txIdPrefix) {
		Assert.notNull(txIdPrefix, "'txIdPrefix' must not be null");
		return Integer.toString(this.suffixes.computeIfAbsent(txIdPrefix, (prefix) -> new Suffixes()).acquire());
	}

	@Override
	public synchronized void releaseSuffix(@Nullable String txIdPrefix, @Nullable String suffix) {
		Suffixes held = (txIdPrefix != null) ? this.suffixes.get(txIdPrefix) : null;
		if (held == null || suffix == null) {
			return;
		}
		int number = Integer.parseInt(suffix);
		Consumer<String> fencer = this.fencer;
		if (fencer == null || this.destroying) {
			held.release(number);
			return;
		}
		// held until fenced: no producer of this process may use the id meanwhile
		fence(txIdPrefix + suffix, fencer, () -> held.release(number), 1);
	}

	/**
	 * Fence an id on the fencing thread, again after a pause while the broker does not
	 * answer (the failure that closed its producer may be the broker being away), then
	 * hand it out again.
	 */
	private void fence(String transactionalId, Consumer<String> fencer, Runnable release, int attempt) {
		fencing().schedule(() -> {
			boolean done = true;
			try {
				fencer.accept(transactionalId);
				logger.info("Fenced transactional id {} after its producer was closed, so that a transaction it "
						+ "left open does not hide later records", transactionalId);
			}
			catch (RuntimeException ex) {
				done = attempt >= MAX_FENCING_ATTEMPTS;
				if (done) {
					logger.warn("Could not fence transactional id {} after its producer was closed ({}); the next "
							+ "producer that uses it fences it", transactionalId, ex.toString());
				}
			}
			synchronized (this) {
				if (done || this.destroying) {
					release.run();
				}
				else {
					fence(transactionalId, fencer, release, attempt + 1);
				}
			}
		}, (attempt == 1) ? 0 : Math.min(1000L << (attempt - 2), 30_000L), TimeUnit.MILLISECONDS);
	}

	private ScheduledExecutorService fencing() {
		ScheduledExecutorService executor = this.fencing;
		if (executor == null) {
			executor = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "eventy-transaction-fencing");
				thread.setDaemon(true);
				return thread;
			});
			this.fencing = executor;
		}
		return executor;
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
