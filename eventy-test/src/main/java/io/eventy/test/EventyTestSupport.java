package io.eventy.test;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.eventy.store.StoredRecord;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Helps a test of an Eventy application wait for its handlers and see what it stored.
 * {@link EventyTest} registers one as a bean and {@linkplain #startTest() marks} the
 * start of each test method (after its {@code @BeforeEach} methods).
 * <ul>
 * <li>{@link #awaitIdle()} waits until every subscription running in the application has
 * handled every record stored so far: on PostgreSQL each segment's checkpoint is at the
 * head, on Kafka each consumer group's committed offsets are at the end of its topics.
 * Records the handlers emit meanwhile are waited for too.</li>
 * <li>{@link #recorded()} reads the records committed since the test started, from the
 * store; {@link #mark()} and {@link #recorded(Mark)} do the same from any point.</li>
 * </ul>
 * On Kafka the records are read from the application's own topics (events, requests and
 * responses), ordered by their time; their {@link StoredRecord#position()} is their
 * offset in their partition.
 */
public final class EventyTestSupport implements SmartInitializingSingleton, AutoCloseable {

	/** How long {@link #awaitIdle()} waits. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

	private final StoreProbe probe;

	private volatile @Nullable Mark testStart;

	EventyTestSupport(StoreProbe probe) {
		this.probe = Objects.requireNonNull(probe, "probe");
	}

	/**
	 * Mark the head once the application's beans (its Kafka topics among them) exist.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		startTest();
	}

	/**
	 * Release the clients it holds; the application context does when it closes.
	 */
	@Override
	public void close() {
		this.probe.close();
	}

	/**
	 * Wait at most {@link #DEFAULT_TIMEOUT} until every running subscription has handled
	 * every record stored so far.
	 * @throws AssertionError if a subscription is still behind then, naming each one and
	 * how far behind it is
	 */
	public void awaitIdle() {
		awaitIdle(DEFAULT_TIMEOUT);
	}

	/**
	 * Wait until every running subscription has handled every record stored so far.
	 * Returns at once when no subscription runs (handlers switched off).
	 * @param timeout how long to wait at most
	 * @throws AssertionError if a subscription is still behind then, naming each one and
	 * how far behind it is (and, on PostgreSQL, how its next record failed)
	 */
	public void awaitIdle(Duration timeout) {
		Objects.requireNonNull(timeout, "timeout");
		long deadline = System.nanoTime() + timeout.toNanos();
		this.probe.wakeUp();
		List<String> busy = this.probe.busy();
		while (!busy.isEmpty()) {
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("Eventy's subscriptions did not handle every stored record within " + timeout
						+ ":\n  " + String.join("\n  ", busy));
			}
			pause();
			busy = this.probe.busy();
		}
	}

	/**
	 * Mark the store's head now, for {@link #recorded(Mark)}.
	 * @return the mark
	 */
	public Mark mark() {
		return new Mark(this, this.probe.mark());
	}

	/**
	 * Read the records committed since the current test method started (since the
	 * application started, outside a test method).
	 * @return the records, in the store's order
	 */
	public List<StoredRecord> recorded() {
		Mark start = this.testStart;
		if (start == null) {
			throw new IllegalStateException("The application context has not finished starting");
		}
		return recorded(start);
	}

	/**
	 * Read the records committed since a mark.
	 * @param since a mark of this support
	 * @return the records, in the store's order
	 */
	public List<StoredRecord> recorded(Mark since) {
		Objects.requireNonNull(since, "since");
		if (since.support != this) {
			throw new IllegalArgumentException("The mark was taken by another application context's EventyTestSupport");
		}
		return this.probe.since(since.head);
	}

	/**
	 * Mark the start of a test: {@link #recorded()} reads from here. Called by
	 * {@link EventyTest}'s test execution listener before each test method.
	 */
	public void startTest() {
		this.testStart = mark();
	}

	private static void pause() {
		try {
			// a poll interval, not synchronisation: the state is measured again after it
			TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for Eventy's subscriptions", ex);
		}
	}

	/**
	 * A point in the store, from {@link EventyTestSupport#mark()}: the records committed
	 * after it are {@link EventyTestSupport#recorded(Mark) recorded} since it.
	 */
	public static final class Mark {

		private final EventyTestSupport support;

		private final Object head;

		private Mark(EventyTestSupport support, Object head) {
			this.support = support;
			this.head = head;
		}

	}

}
