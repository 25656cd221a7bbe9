package io.eventy.handler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventy.record.RecordType;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StreamId;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every store's subscriptions promise, whatever fetches their records, owns them and
 * moves past them: each store's engine extends this class, as each store extends
 * {@code EventStoreContractTests}. Records are appended to streams, whose records a
 * subscription handles in order on either store (on Kafka a stream is a partition key).
 */
public abstract class SubscriptionContractTests {

	/** How long a condition may take. */
	protected static final Duration DEADLINE = Duration.ofSeconds(30);

	/** Three attempts, 20 ms apart then 40 ms. */
	protected static final RetryPolicy FAST_RETRIES = new RetryPolicy(3, Duration.ofMillis(20), 2.0,
			Duration.ofMillis(100));

	private final List<Instance> instances = new ArrayList<>();

	/**
	 * Start an instance of an application, with fresh subscriptions for this test.
	 * @param name the instance's name
	 * @param start where new subscriptions start
	 * @param handlers the handler beans, by bean name
	 * @return the running instance, every subscription ready to receive records
	 */
	protected abstract Instance startInstance(String name, StartPosition start, Map<String, Object> handlers);

	/**
	 * Store records before any instance runs, where instances started later read them.
	 * @return a store on the test's records
	 */
	protected abstract EventStore storeBeforeStart();

	private Instance start(String name, StartPosition start, Object... beans) {
		Map<String, Object> handlers = new LinkedHashMap<>();
		for (int i = 0; i < beans.length; i += 2) {
			handlers.put((String) beans[i], beans[i + 1]);
		}
		Instance instance = startInstance(name, start, handlers);
		this.instances.add(instance);
		return instance;
	}

	@org.junit.jupiter.api.AfterEach
	void stopInstances() {
		this.instances.forEach(Instance::close);
	}

	@Test
	void everyGuaranteeHandlesEachRecordOnceAndEachStreamInOrder() {
		Recorder recorder = new Recorder();
		Instance instance = start("only", StartPosition.EARLIEST, "recorder", recorder);
		List<String> written = appendInterleaved(instance.store(), 4, 6);
		await().atMost(DEADLINE)
			.until(() -> recorder.atLeastOnce.size() >= written.size() && recorder.atMostOnce.size() >= written.size()
					&& recorder.exactlyOnce.size() >= written.size());
		for (List<String> handled : List.of(recorder.atLeastOnce, recorder.atMostOnce, recorder.exactlyOnce)) {
			assertThat(handled).containsExactlyInAnyOrderElementsOf(written);
			assertInStreamOrder(handled);
		}
	}

	@Test
	void aFailingHandlerIsTriedAgainAfterABackoffUntilItSucceeds() {
		Flaky flaky = new Flaky(2);
		Instance instance = start("only", StartPosition.EARLIEST, "flaky", flaky);
		append(instance.store(), "s-1", "a");
		await().atMost(DEADLINE).until(() -> flaky.handled.contains("s-1/a"));
		assertThat(flaky.calls).hasValue(3);
		assertThat(instance.deadLetters().list("flaky")).isEmpty();
	}

	@Test
	void aRecordThatKeepsFailingBecomesADeadLetterAndIsHandledAfterARedrive() {
		Flaky flaky = new Flaky(Integer.MAX_VALUE);
		Instance instance = start("only", StartPosition.EARLIEST, "flaky", flaky);
		append(instance.store(), "s-1", "poison");
		append(instance.store(), "s-2", "next");
		await().atMost(DEADLINE).until(() -> instance.deadLetters().list("flaky").size() == 1);
		assertThat(instance.deadLetters().list("flaky")).singleElement()
			.satisfies((letter) -> assertThat(letter.attempts()).isEqualTo(FAST_RETRIES.maxAttempts()));
		flaky.failures.set(0);
		await().atMost(DEADLINE).until(() -> flaky.handled.contains("s-2/next"));
		assertThat(instance.deadLetters().redrive("flaky")).isOne();
		await().atMost(DEADLINE).until(() -> flaky.handled.contains("s-1/poison"));
		await().atMost(DEADLINE).until(() -> instance.deadLetters().list("flaky").isEmpty());
	}

	@Test
	void eachSubscriptionAnnouncesItCaughtUp() {
		EventStore before = storeBeforeStart();
		append(before, "s-1", "a");
		CaughtUp caughtUp = new CaughtUp();
		start("only", StartPosition.EARLIEST, "recorder", new Recorder(), "caughtUp", caughtUp);
		await().atMost(DEADLINE)
			.until(() -> caughtUp.subscriptions.containsAll(Set.of("at-least-once", "at-most-once", "exactly-once")));
	}

	@Test
	void aNewSubscriptionStartingAtTheLatestRecordSkipsTheRecordsBefore() {
		EventStore before = storeBeforeStart();
		append(before, "s-1", "old");
		Recorder recorder = new Recorder();
		Instance instance = start("only", StartPosition.LATEST, "recorder", recorder);
		append(instance.store(), "s-1", "new");
		await().atMost(DEADLINE).until(() -> recorder.atLeastOnce.contains("s-1/new"));
		assertThat(recorder.atLeastOnce).containsExactly("s-1/new");
	}

	@Test
	void aSlowSubscriptionDelaysNoOther() throws InterruptedException {
		CountDownLatch release = new CountDownLatch(1);
		Blocked blocked = new Blocked(release);
		Recorder recorder = new Recorder();
		try {
			Instance instance = start("only", StartPosition.EARLIEST, "blocked", blocked, "recorder", recorder);
			List<String> written = appendInterleaved(instance.store(), 2, 5);
			await().atMost(DEADLINE).until(() -> recorder.atLeastOnce.size() == written.size());
			assertThat(blocked.entered.getCount()).isZero();
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void twoInstancesShareASubscriptionAndHandleEachRecordOnce() {
		Set<String> handled = ConcurrentHashMap.newKeySet();
		AtomicInteger calls = new AtomicInteger();
		Map<String, Integer> byInstance = new ConcurrentHashMap<>();
		Instance first = start("first", StartPosition.EARLIEST, "shared",
				new Shared("first", handled, calls, byInstance));
		start("second", StartPosition.EARLIEST, "shared", new Shared("second", handled, calls, byInstance));
		awaitShared(first);
		List<String> written = appendInterleaved(first.store(), 8, 5);
		await().atMost(DEADLINE).until(() -> handled.containsAll(written));
		await().during(Duration.ofMillis(300)).atMost(DEADLINE).until(() -> calls.get() == written.size());
		assertThat(byInstance.keySet()).containsExactlyInAnyOrder("first", "second");
	}

	/**
	 * Wait until the instances that run a subscription share it, each with records to
	 * handle.
	 * @param instance one of the instances
	 */
	protected abstract void awaitShared(Instance instance);

	private static List<String> appendInterleaved(EventStore store, int streams, int versions) {
		List<String> written = new ArrayList<>();
		for (int version = 0; version < versions; version++) {
			for (int stream = 0; stream < streams; stream++) {
				written.add(append(store, "s-" + stream, "v" + version));
			}
		}
		return written;
	}

	private static String append(EventStore store, String stream, String value) {
		store.append(StreamId.of("parcel", stream), ExpectedVersion.any(), new ParcelMoved(stream, value));
		return stream + "/" + value;
	}

	private static void assertInStreamOrder(List<String> handled) {
		Map<String, List<Integer>> byStream = new LinkedHashMap<>();
		for (String record : handled) {
			String[] parts = record.split("/v");
			byStream.computeIfAbsent(parts[0], (stream) -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
		}
		byStream.forEach((stream, versions) -> assertThat(versions).as("records of %s", stream).isSorted());
	}

	/**
	 * An instance of an application that runs subscriptions.
	 */
	protected interface Instance extends AutoCloseable {

		EventStore store();

		DeadLetters deadLetters();

		@Override
		void close();

	}

	/**
	 * What the handlers receive.
	 *
	 * @param stream the stream appended to
	 * @param value what identifies the record in its stream
	 */
	@RecordType(namespace = "urn:contract")
	public record ParcelMoved(String stream, String value) {

		String id() {
			return this.stream + "/" + this.value;
		}

	}

	public static class Recorder {

		final List<String> atLeastOnce = new CopyOnWriteArrayList<>();

		final List<String> atMostOnce = new CopyOnWriteArrayList<>();

		final List<String> exactlyOnce = new CopyOnWriteArrayList<>();

		@EventHandler(subscription = "at-least-once")
		void atLeastOnce(ParcelMoved parcel) {
			this.atLeastOnce.add(parcel.id());
		}

		@EventHandler(subscription = "at-most-once", guarantee = Guarantee.AT_MOST_ONCE)
		void atMostOnce(ParcelMoved parcel) {
			this.atMostOnce.add(parcel.id());
		}

		@EventHandler(subscription = "exactly-once", guarantee = Guarantee.EXACTLY_ONCE)
		void exactlyOnce(ParcelMoved parcel) {
			this.exactlyOnce.add(parcel.id());
		}

	}

	public static class Flaky {

		final AtomicInteger failures;

		final AtomicInteger calls = new AtomicInteger();

		final List<String> handled = new CopyOnWriteArrayList<>();

		Flaky(int failures) {
			this.failures = new AtomicInteger(failures);
		}

		@EventHandler(subscription = "flaky")
		void on(ParcelMoved parcel) {
			this.calls.incrementAndGet();
			if (parcel.value().equals("poison") || parcel.value().equals("a")) {
				if (this.failures.getAndDecrement() > 0) {
					throw new IllegalStateException("failing on " + parcel.id());
				}
			}
			this.handled.add(parcel.id());
		}

	}

	public static class Blocked {

		final CountDownLatch entered = new CountDownLatch(1);

		private final CountDownLatch release;

		Blocked(CountDownLatch release) {
			this.release = release;
		}

		@EventHandler(subscription = "blocked")
		void on(ParcelMoved parcel) throws InterruptedException {
			this.entered.countDown();
			assertThat(this.release.await(30, TimeUnit.SECONDS)).isTrue();
		}

	}

	public static class Shared {

		private final String instance;

		private final Set<String> handled;

		private final AtomicInteger calls;

		private final Map<String, Integer> byInstance;

		Shared(String instance, Set<String> handled, AtomicInteger calls, Map<String, Integer> byInstance) {
			this.instance = instance;
			this.handled = handled;
			this.calls = calls;
			this.byInstance = byInstance;
		}

		@EventHandler(subscription = "shared", guarantee = Guarantee.EXACTLY_ONCE)
		void on(ParcelMoved parcel) {
			this.calls.incrementAndGet();
			this.handled.add(parcel.id());
			this.byInstance.merge(this.instance, 1, Integer::sum);
		}

	}

	public static class CaughtUp implements ApplicationListener<SubscriptionCaughtUpEvent> {

		final Set<String> subscriptions = ConcurrentHashMap.newKeySet();

		@Override
		public void onApplicationEvent(SubscriptionCaughtUpEvent event) {
			this.subscriptions.add(event.subscription());
		}

	}

}
