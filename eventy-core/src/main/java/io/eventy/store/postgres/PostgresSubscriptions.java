package io.eventy.store.postgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import javax.sql.DataSource;

import io.eventy.handler.HandlerEndpoint;
import io.eventy.handler.HandlerEndpointRegistry;
import io.eventy.handler.HandlerObserver;
import io.eventy.handler.SubscriptionCaughtUpEvent;
import io.eventy.handler.SubscriptionKeepAlive;
import io.eventy.handler.SubscriptionOptions;
import io.eventy.record.PayloadConverter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs every {@link HandlerEndpoint} of the registry as a durable subscription on
 * PostgreSQL, each segment it owns on its own thread so that one slow or failing handler
 * never delays another. The instances that run a subscription share its segments (see
 * {@link PostgresSubscriptionOptions}): each instance owns some for a lease it extends
 * from a heartbeat, gives them up when it stops, and takes over those of an instance that
 * died once its lease runs out. Subscriptions wake on the store's notifications (one
 * listening connection for all) and poll as a fallback. Starts last and stops first:
 * after the context is ready, and before the beans the handlers use go away.
 * <p>
 * While subscriptions run, a {@link SubscriptionKeepAlive} keeps the JVM running, so that
 * an application whose only work is handling records does not exit; their own threads are
 * daemon threads, so that a handler that does not return in time when they stop never
 * keeps the JVM from exiting.
 * <p>
 * {@code EXACTLY_ONCE} handlers run in transactions of the given transaction manager,
 * which must manage the same {@code DataSource} (a {@code DataSourceTransactionManager}
 * or a JPA transaction manager on it).
 */
public final class PostgresSubscriptions implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(PostgresSubscriptions.class);

	/** How long {@link #stop()} waits for handlers in flight. */
	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private final DataSource dataSource;

	private final HandlerEndpointRegistry registry;

	private final SubscriptionOptions options;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transactions;

	private final SubscriptionCheckpoints checkpoints;

	private final SubscriptionRecordReader reader;

	private final DeadLetterTable deadLetters;

	private final SubscriptionInstances instances;

	private final String channel;

	private final SubscriptionPauses pauses;

	private final RecordHead head;

	private volatile SubscriptionActivity activity = new SubscriptionActivity();

	private volatile PostgresSubscriptionOptions postgresOptions = PostgresSubscriptionOptions.defaults();

	private final List<String> names = new ArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	private @Nullable SegmentCoordinator coordinator;

	private final SubscriptionKeepAlive keepAlive = new SubscriptionKeepAlive("eventy-subscriptions-keep-alive");

	private @Nullable RecordNotificationListener listener;

	private volatile HandlerObserver observer = HandlerObserver.noop();

	private volatile boolean running;

	/**
	 * Create the subscriptions.
	 * @param dataSource the store's database
	 * @param settings schema and table prefix of the store
	 * @param registry the handlers
	 * @param converter reads payloads of the records handlers receive
	 * @param options batch size, poll interval, start position and retries
	 * @param transactionManager runs {@code EXACTLY_ONCE} handlers; it must manage
	 * {@code dataSource}
	 * @param events publishes {@link SubscriptionCaughtUpEvent}s
	 */
	public PostgresSubscriptions(DataSource dataSource, PostgresStoreSettings settings,
			HandlerEndpointRegistry registry, PayloadConverter converter, SubscriptionOptions options,
			PlatformTransactionManager transactionManager, ApplicationEventPublisher events) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
		this.registry = Objects.requireNonNull(registry, "registry");
		this.options = Objects.requireNonNull(options, "options");
		this.events = Objects.requireNonNull(events, "events");
		this.transactions = new TransactionTemplate(Objects.requireNonNull(transactionManager, "transactionManager"));
		this.checkpoints = new SubscriptionCheckpoints(settings);
		this.reader = new SubscriptionRecordReader(settings, converter);
		this.deadLetters = new DeadLetterTable(settings, this.reader);
		this.instances = new SubscriptionInstances(settings);
		this.channel = settings.notificationChannel();
		this.pauses = new SubscriptionPauses(settings);
		this.head = new RecordHead(settings);
	}

	/**
	 * Set what observes the handler calls and how each record's handling ends, such as
	 * metrics; subscriptions started before keep the previous one.
	 * @param observer the observer; {@link HandlerObserver#noop()} by default
	 */
	public void setHandlerObserver(HandlerObserver observer) {
		this.observer = Objects.requireNonNull(observer, "observer");
	}

	/**
	 * Set how instances share the subscriptions' segments; subscriptions started before
	 * keep the previous options.
	 * @param options the options; {@link PostgresSubscriptionOptions#defaults()} by
	 * default
	 */
	public void setPostgresOptions(PostgresSubscriptionOptions options) {
		this.postgresOptions = Objects.requireNonNull(options, "options");
	}

	/**
	 * Return this instance's id, the owner of the segments it runs.
	 * @return the instance id
	 */
	public String instanceId() {
		return this.postgresOptions.instanceId();
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		List<HandlerEndpoint> endpoints = this.registry.endpoints();
		this.running = true;
		if (endpoints.isEmpty()) {
			return;
		}
		PostgresSubscriptionOptions postgresOptions = this.postgresOptions;
		SegmentCoordinator coordinator = new SegmentCoordinator(endpoints, this.dataSource, this.checkpoints,
				this.instances, this.reader, this.deadLetters, this.options, postgresOptions, this.transactions,
				this.observer, this::caughtUp, this.pauses, this.activity, this.head);
		this.coordinator = coordinator;
		coordinator.layOut();
		endpoints.forEach((endpoint) -> this.names.add(endpoint.subscription()));
		this.threads.add(thread("eventy-subscription-segments", coordinator));
		RecordNotificationListener listener = new RecordNotificationListener(this.dataSource, this.channel,
				this::wakeUp);
		this.listener = listener;
		this.threads.add(thread("eventy-subscription-listener", listener));
		this.keepAlive.start();
		this.threads.forEach(Thread::start);
		logger.info("Started {} subscription(s) as instance {}: {}", endpoints.size(), postgresOptions.instanceId(),
				this.names);
	}

	private static Thread thread(String name, Runnable work) {
		Thread thread = new Thread(work, name);
		// the keep-alive holds the JVM until stop(), not a handler that ignores it
		thread.setDaemon(true);
		return thread;
	}

	private void caughtUp(String subscription) {
		logger.info("Subscription '{}' caught up", subscription);
		this.events.publishEvent(new SubscriptionCaughtUpEvent(this, subscription));
	}

	/**
	 * Make every subscription look for new records now.
	 */
	public void wakeUp() {
		SegmentCoordinator coordinator = coordinator();
		if (coordinator != null) {
			coordinator.wake();
		}
	}

	/**
	 * Return the names of the running subscriptions.
	 * @return the subscription names
	 */
	public synchronized List<String> subscriptions() {
		return List.copyOf(this.names);
	}

	/**
	 * Return the segments of this instance that are stalled: they have failed to read
	 * records or move their checkpoint for longer than the stall timeout, or a database
	 * call of theirs has not returned for that long.
	 * @return the stalls, empty when every segment moves
	 */
	public List<SubscriptionStall> stalls() {
		SegmentCoordinator coordinator = coordinator();
		return (coordinator != null) ? coordinator.stalls() : List.of();
	}

	/**
	 * Return what this instance's workers did, per subscription.
	 * @return the activity
	 */
	SubscriptionActivity activity() {
		return this.activity;
	}

	/**
	 * Log the catch-up progress at most this often instead of every 10 seconds, for
	 * tests; subscriptions started before keep the previous interval.
	 * @param interval the interval
	 */
	void setProgressInterval(Duration interval) {
		this.activity = new SubscriptionActivity(interval);
	}

	/**
	 * Return how many segments a subscription is configured with on this instance.
	 * @param subscription the subscription name
	 * @return the segments
	 */
	int segments(String subscription) {
		return this.postgresOptions.segments(subscription);
	}

	/**
	 * Make the running segments of a subscription hold after the record each handles.
	 * @param subscription the subscription name
	 */
	void paused(String subscription) {
		SegmentCoordinator coordinator = coordinator();
		if (coordinator != null) {
			coordinator.pause(subscription);
		}
	}

	/**
	 * Make the running segments of a subscription look at their pause now.
	 * @param subscription the subscription name
	 */
	void resumed(String subscription) {
		SegmentCoordinator coordinator = coordinator();
		if (coordinator != null) {
			coordinator.wake(subscription);
		}
	}

	/**
	 * Make the running segments of a reset subscription leave their batch and start again
	 * from the new checkpoint.
	 * @param subscription the subscription name
	 */
	void reset(String subscription) {
		SegmentCoordinator coordinator = coordinator();
		if (coordinator != null) {
			coordinator.reset(subscription);
		}
	}

	private synchronized @Nullable SegmentCoordinator coordinator() {
		return this.coordinator;
	}

	/**
	 * Stop every subscription after the record it handles, waiting at most 30 seconds in
	 * all; a subscription still handling then is interrupted and abandoned, its batch
	 * left without checkpoint. The JVM may exit from then on.
	 */
	@Override
	public void stop() {
		Stopping stopping = signalStop();
		if (stopping == null) {
			return;
		}
		try {
			awaitStop(stopping.threads());
			stopping.coordinator().leave();
		}
		finally {
			this.keepAlive.stop();
		}
		logger.info("Stopped {} subscription(s)", stopping.subscriptions());
	}

	private static void awaitStop(List<Thread> threads) {
		long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
		for (Thread thread : threads) {
			try {
				thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			if (thread.isAlive()) {
				logger.warn("{} did not stop within {}; its batch is abandoned without checkpoint", thread.getName(),
						STOP_TIMEOUT);
				thread.interrupt();
			}
		}
	}

	private synchronized @Nullable Stopping signalStop() {
		if (!this.running) {
			return null;
		}
		this.running = false;
		SegmentCoordinator coordinator = this.coordinator;
		if (coordinator == null) {
			return null;
		}
		List<Thread> threads = new ArrayList<>(this.threads);
		threads.addAll(coordinator.stop());
		RecordNotificationListener listener = this.listener;
		if (listener != null) {
			listener.stop();
		}
		Stopping stopping = new Stopping(coordinator, threads, this.names.size());
		this.names.clear();
		this.threads.clear();
		this.listener = null;
		this.coordinator = null;
		return stopping;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

	/**
	 * What {@link #stop()} waits for.
	 *
	 * @param coordinator the coordinator of the segments
	 * @param threads the segments' threads, the coordinator's and the notification
	 * listener's
	 * @param subscriptions how many subscriptions stop
	 */
	private record Stopping(SegmentCoordinator coordinator, List<Thread> threads, int subscriptions) {
	}

}
