package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.eventy.handler.HandlerEndpoint;
import io.eventy.handler.HandlerObserver;
import io.eventy.handler.SubscriptionOptions;
import io.eventy.store.postgres.SubscriptionCheckpoints.Layout;
import io.eventy.store.postgres.SubscriptionCheckpoints.Owner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * Shares the segments of this instance's subscriptions with the other instances that run
 * them, from one thread: a heartbeat, four times per lease, says that this instance is
 * alive, extends the leases of its segments, and counts the live instances of each
 * subscription. An instance that owns fewer segments than its fair share (the segments
 * divided by the live instances, rounded up) claims free ones, or ones whose owner's
 * lease ran out; one that owns more gives the surplus up after the batch at hand. Each
 * owned segment runs on a {@link SubscriptionWorker} thread of its own; each beat looks
 * whether one is stalled, so that a worker stuck in a database call is reported.
 */
final class SegmentCoordinator implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(SegmentCoordinator.class);

	/** How soon to look again while this instance waits for segments to claim. */
	private static final Duration WANTING = Duration.ofMillis(250);

	private final DataSource dataSource;

	private final SubscriptionCheckpoints checkpoints;

	private final SubscriptionInstances instances;

	private final SubscriptionRecordReader reader;

	private final DeadLetterTable deadLetters;

	private final SubscriptionOptions options;

	private final PostgresSubscriptionOptions segmentOptions;

	private final TransactionTemplate transactions;

	private final HandlerObserver observer;

	private final Consumer<String> caughtUp;

	private final SubscriptionPauses pauses;

	private final SubscriptionActivity activity;

	private final RecordHead head;

	private final List<Run> runs = new ArrayList<>();

	private final WakeSignal signal = new WakeSignal();

	private final FailureBackoff failures = new FailureBackoff(Duration.ofMillis(100), 5);

	private boolean stopped;

	SegmentCoordinator(List<HandlerEndpoint> endpoints, DataSource dataSource, SubscriptionCheckpoints checkpoints,
			SubscriptionInstances instances, SubscriptionRecordReader reader, DeadLetterTable deadLetters,
			SubscriptionOptions options, PostgresSubscriptionOptions segmentOptions, TransactionTemplate transactions,
			HandlerObserver observer, Consumer<String> caughtUp, SubscriptionPauses pauses,
			SubscriptionActivity activity, RecordHead head) {
		this.dataSource = dataSource;
		this.checkpoints = checkpoints;
		this.instances = instances;
		this.reader = reader;
		this.deadLetters = deadLetters;
		this.options = options;
		this.segmentOptions = segmentOptions;
		this.transactions = transactions;
		this.observer = observer;
		this.caughtUp = caughtUp;
		this.pauses = pauses;
		this.activity = activity;
		this.head = head;
		for (HandlerEndpoint endpoint : endpoints) {
			this.runs.add(new Run(endpoint, segmentOptions.segments(endpoint.subscription())));
		}
	}

	private String instance() {
		return this.segmentOptions.instanceId();
	}

	private Duration lease() {
		return this.segmentOptions.lease();
	}

	/**
	 * Create the subscriptions' rows, or change their segments, before the first beat, so
	 * that a subscription that starts at the latest record starts where it stood when the
	 * application started. When the database cannot be reached, the first beat does it.
	 */
	void layOut() {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			for (Run run : this.runs) {
				layOut(connection, run);
			}
		}
		catch (SQLException | RuntimeException ex) {
			logger.warn("Could not create the subscriptions' rows yet; trying again shortly", ex);
		}
	}

	@Override
	public void run() {
		while (!this.signal.isStopped()) {
			Duration next;
			try {
				boolean wanting = beat();
				if (this.failures.succeeded()) {
					logger.info("Subscriptions of instance {} reach the database again", instance());
				}
				next = wanting ? WANTING : lease().dividedBy(4);
			}
			catch (SQLException | RuntimeException ex) {
				next = this.failures.failed();
				if (this.failures.firstFailure()) {
					logger.warn("Could not extend the leases of this instance's subscription segments; trying again "
							+ "in {}", next, ex);
				}
				else {
					logger.debug("Still cannot extend the leases of this instance's subscription segments", ex);
				}
			}
			// a worker stuck in a database call cannot report its stall itself
			stalls();
			try {
				this.signal.await(next);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/**
	 * Beat once: say this instance is alive, extend its leases, and claim or give up
	 * segments.
	 * @return whether this instance waits for segments to claim
	 * @throws SQLException if the database fails
	 */
	private boolean beat() throws SQLException {
		List<String> names = this.runs.stream().map(Run::name).toList();
		boolean wanting = false;
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			for (Run run : this.runs) {
				if (!run.ensured) {
					layOut(connection, run);
				}
			}
			this.instances.beat(connection, names, instance(), lease());
			this.checkpoints.renew(connection, instance(), lease());
			Map<String, Integer> live = this.instances.count(connection, names);
			// before new workers start: they look at the pause themselves
			holdPaused(this.pauses.paused(connection));
			for (Run run : this.runs) {
				wanting |= share(connection, run, Math.max(1, live.getOrDefault(run.name(), 1)));
			}
		}
		return wanting;
	}

	/**
	 * Make the segments of subscriptions paused from another instance hold after the
	 * record at hand, instead of at the end of their batch.
	 */
	private synchronized void holdPaused(List<String> paused) {
		for (Run run : this.runs) {
			boolean isPaused = paused.contains(run.name());
			if (isPaused && !run.pauseSeen && !run.workers.isEmpty()) {
				logger.info("Subscription '{}' was paused from another instance; its segments here hold after the "
						+ "record at hand", run.name());
				run.workers.values().forEach(SubscriptionWorker::pause);
			}
			run.pauseSeen = isPaused;
		}
	}

	private void layOut(Connection connection, Run run) throws SQLException {
		Layout layout = this.checkpoints.ensure(connection, run.name(), run.configured, this.options.startPosition(),
				instance());
		run.segments = layout.segments();
		run.ensured = true;
		String segments = (layout.segments() > 1) ? " in " + layout.segments() + " segments" : "";
		switch (layout.change()) {
			case CREATED -> logger.info("Created subscription '{}' starting at the {} record{}", run.name(),
					this.options.startPosition().name().toLowerCase(Locale.ROOT), segments);
			case CHANGED -> logger.info("Subscription '{}' has {} segment(s) now instead of {}", run.name(),
					layout.segments(), layout.previous());
			case POSTPONED -> logger.warn("Subscription '{}' keeps its {} segment(s) instead of the {} configured, "
					+ "because {}; the change is made when an instance starts while no other one owns a segment "
					+ "and every segment's checkpoint is the same", run.name(), layout.segments(), run.configured,
					layout.postponedBecause());
			case NONE -> {
			}
		}
	}

	private boolean share(Connection connection, Run run, int liveInstances) throws SQLException {
		List<Checkpoint> rows = this.checkpoints.segments(connection, run.name());
		int share = (rows.size() + liveInstances - 1) / liveInstances;
		int wanted;
		synchronized (this) {
			run.reap();
			if (rows.isEmpty() || rows.size() != run.segments || rows.get(0).segment().count() != run.segments) {
				// another instance changed the segments: start over with the new ones
				run.workers.values().forEach(SubscriptionWorker::stop);
				run.ensured = false;
				return true;
			}
			for (Checkpoint row : rows) {
				SubscriptionWorker worker = run.workers.get(row.segment().index());
				if (worker != null && !instance().equals(row.owner())) {
					worker.stop();
				}
			}
			List<Integer> kept = run.kept();
			if (kept.size() > share) {
				for (int segment : kept.subList(share, kept.size())) {
					run.releasing.add(segment);
					run.workers.get(segment).release();
				}
				return false;
			}
			wanted = share - kept.size();
			if (wanted == 0 || this.stopped) {
				return false;
			}
		}
		List<Integer> claimed = this.checkpoints.claim(connection, run.name(), instance(), wanted, lease());
		synchronized (this) {
			for (int segment : claimed) {
				if (!run.workers.containsKey(segment) && !this.stopped) {
					start(run, new Segment(segment, run.segments));
				}
			}
			return run.kept().size() < share;
		}
	}

	private void start(Run run, Segment segment) {
		Owner owner = new Owner(run.name(), segment, instance());
		SubscriptionWorker worker = new SubscriptionWorker(run.endpoint, owner, this.dataSource, this.checkpoints,
				this.reader, this.deadLetters, this.options, this.segmentOptions.stallTimeout(), this.transactions,
				() -> atHead(run, segment.index()), this.observer, new SubscriptionWorker.Controls(this.pauses,
						this.activity.of(run.name()), this.head, this.signal::signal));
		String name = "eventy-subscription-" + run.name() + (segment.whole() ? "" : "-" + segment.index());
		Thread thread = new Thread(worker, name);
		// the keep-alive holds the JVM until stop(), not a handler that ignores it
		thread.setDaemon(true);
		run.workers.put(segment.index(), worker);
		run.threads.put(segment.index(), thread);
		thread.start();
		if (!segment.whole()) {
			logger.info("Subscription '{}' runs segment {} on this instance", run.name(), segment);
		}
	}

	private void atHead(Run run, int segment) {
		synchronized (this) {
			SubscriptionWorker worker = run.workers.get(segment);
			if (worker == null || worker.stopping()) {
				// a worker leaving its segment, after a reset for one
				return;
			}
			run.atHead.add(segment);
			if (this.stopped) {
				return;
			}
			List<Integer> kept = run.kept();
			if (kept.isEmpty() || !run.atHead.containsAll(kept)) {
				return;
			}
			if (run.replaying) {
				run.replaying = false;
				logger.info("Subscription '{}' caught up after its reset", run.name());
			}
			if (run.caughtUpPublished) {
				return;
			}
			run.caughtUpPublished = true;
		}
		try {
			this.caughtUp.accept(run.name());
		}
		catch (RuntimeException ex) {
			logger.warn("A listener of subscription '{}' catching up failed", run.name(), ex);
		}
	}

	/**
	 * Make every running segment look for new records now.
	 */
	synchronized void wake() {
		for (Run run : this.runs) {
			run.workers.values().forEach(SubscriptionWorker::wake);
		}
	}

	/**
	 * Make the running segments of one subscription hold after the record each handles,
	 * because it was paused.
	 * @param subscription the subscription name
	 */
	synchronized void pause(String subscription) {
		forEachWorker(subscription, SubscriptionWorker::pause);
		for (Run run : this.runs) {
			if (run.name().equals(subscription)) {
				run.pauseSeen = true;
			}
		}
	}

	/**
	 * Make the running segments of one subscription look at their pause and for new
	 * records now.
	 * @param subscription the subscription name
	 */
	synchronized void wake(String subscription) {
		forEachWorker(subscription, SubscriptionWorker::wake);
	}

	/**
	 * Stop the running segments of one subscription after the record each handles,
	 * because it was reset and the segments were taken from their owners; beat at once,
	 * and again whenever a worker ends, so that they are claimed again soon.
	 * @param subscription the subscription name
	 */
	synchronized void reset(String subscription) {
		forEachWorker(subscription, SubscriptionWorker::stop);
		for (Run run : this.runs) {
			if (run.name().equals(subscription)) {
				run.atHead.clear();
				run.replaying = true;
			}
		}
		this.signal.signal();
	}

	private void forEachWorker(String subscription, Consumer<SubscriptionWorker> action) {
		for (Run run : this.runs) {
			if (run.name().equals(subscription)) {
				run.workers.values().forEach(action);
			}
		}
	}

	/**
	 * Return the segments that are stalled.
	 * @return the stalls
	 */
	synchronized List<SubscriptionStall> stalls() {
		List<SubscriptionStall> stalls = new ArrayList<>();
		for (Run run : this.runs) {
			for (SubscriptionWorker worker : run.workers.values()) {
				SubscriptionStall stall = worker.stall();
				if (stall != null) {
					stalls.add(stall);
				}
			}
		}
		return stalls;
	}

	/**
	 * Stop beating and every segment after the record it handles.
	 * @return the threads to wait for
	 */
	synchronized List<Thread> stop() {
		this.stopped = true;
		this.signal.stop();
		List<Thread> threads = new ArrayList<>();
		for (Run run : this.runs) {
			run.workers.values().forEach(SubscriptionWorker::stop);
			threads.addAll(run.threads.values());
		}
		return threads;
	}

	/**
	 * Give up every segment of this instance and say it no longer runs subscriptions, so
	 * that other instances take over at once.
	 */
	void leave() {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			this.checkpoints.releaseAll(connection, instance());
			this.instances.leave(connection, instance());
		}
		catch (SQLException ex) {
			logger.warn("Could not hand this instance's subscription segments over; other instances take them over "
					+ "when its leases run out", ex);
		}
	}

	/**
	 * One subscription as this instance runs it.
	 */
	private static final class Run {

		final HandlerEndpoint endpoint;

		final int configured;

		int segments;

		boolean ensured;

		boolean caughtUpPublished;

		/** Whether the last heartbeat, or a pause from this instance, saw it paused. */
		boolean pauseSeen;

		/** Whether it was reset from this instance and has not caught up since. */
		boolean replaying;

		final Map<Integer, SubscriptionWorker> workers = new TreeMap<>();

		final Map<Integer, Thread> threads = new TreeMap<>();

		final Set<Integer> releasing = ConcurrentHashMap.newKeySet();

		final Set<Integer> atHead = ConcurrentHashMap.newKeySet();

		Run(HandlerEndpoint endpoint, int configured) {
			this.endpoint = endpoint;
			this.configured = configured;
		}

		String name() {
			return this.endpoint.subscription();
		}

		/**
		 * Forget the workers whose thread ended.
		 */
		void reap() {
			this.threads.entrySet().removeIf((entry) -> {
				if (entry.getValue().isAlive()) {
					return false;
				}
				this.workers.remove(entry.getKey());
				this.releasing.remove(entry.getKey());
				this.atHead.remove(entry.getKey());
				return true;
			});
		}

		/**
		 * Return the segments this instance runs and keeps.
		 * @return the segments, in order
		 */
		List<Integer> kept() {
			return this.workers.keySet().stream().filter((segment) -> !this.releasing.contains(segment)).toList();
		}

	}

}
