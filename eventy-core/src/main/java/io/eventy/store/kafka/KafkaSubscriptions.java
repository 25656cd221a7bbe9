package io.eventy.store.kafka;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.eventy.handler.Guarantee;
import io.eventy.handler.HandlerEndpoint;
import io.eventy.handler.HandlerEndpointRegistry;
import io.eventy.handler.HandlerObserver;
import io.eventy.handler.RetryPolicy;
import io.eventy.handler.SubscriptionCaughtUpEvent;
import io.eventy.handler.SubscriptionKeepAlive;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Runs every {@code @EventHandler} subscription of a {@link HandlerEndpointRegistry} on
 * Kafka, each in a Spring Kafka listener container of its own, so that one broken handler
 * never stops or delays another:
 * <ul>
 * <li>each subscription reads the service's own topics, the topics of other services
 * every subscription reads, and those its handler names
 * ({@link KafkaSubscriptionSettings#topicsOf(HandlerEndpoint)}); a topic that does not
 * exist yet is read once it is created, with a warning at startup;</li>
 * <li>each subscription is a consumer group, {@code <service>.<subscription>}: instances
 * of the application share its partitions and never handle one record twice; records of
 * one partition key are handled in order;</li>
 * <li>offsets are committed by the container, never automatically, and only committed
 * records are read ({@code isolation.level=read_committed});</li>
 * <li>{@link Guarantee#AT_LEAST_ONCE} commits after the handler succeeded,
 * {@link Guarantee#AT_MOST_ONCE} before it runs, {@link Guarantee#EXACTLY_ONCE} handles
 * each record in a Kafka transaction with the records it emits and the consumed offset,
 * and skips the records its handler does not select without a transaction of their
 * own;</li>
 * <li>a failing record is retried with the {@link RetryPolicy}'s exponential backoff
 * (blocking its partition, which keeps the order of its key), then moved to
 * {@code <topic>.DLT} (a record of another service's topic to this service's events
 * dead-letter topic) and the subscription goes on; a value that is no Eventy record (a
 * poison pill) or data that does not fit the payload type is dead-lettered at once;</li>
 * <li>with a {@link #setControl(KafkaSubscriptionControl) control topic}, operators
 * pause, resume and reset a subscription on every instance
 * ({@link KafkaSubscriptionOperations}); a paused subscription starts paused;</li>
 * <li>a new subscription starts at the earliest record, or the latest if configured;
 * {@link SubscriptionCaughtUpEvent} is published once it reached the end offsets its
 * partitions had when first assigned.</li>
 * </ul>
 * Each container starts from {@link #setContainerDefaults(ContainerProperties) default
 * container properties} when set (a Spring Boot application's
 * {@code spring.kafka.listener.*}), with Eventy's own settings for what its guarantees
 * need, and runs {@link #setConcurrency(int) one consumer} per subscription in each
 * instance unless configured otherwise. This class runs the subscriptions; their
 * containers are built by {@code SubscriptionContainerFactory} and their failures handled
 * as {@code SubscriptionErrorHandling} says.
 * <p>
 * While subscriptions run, a {@link SubscriptionKeepAlive} keeps the JVM running, so that
 * an application whose only work is handling records does not exit. The consumers run on
 * daemon threads (Spring Kafka's own would not be), so that a handler that does not
 * return in time when the subscriptions stop never keeps the JVM from exiting.
 */
public final class KafkaSubscriptions implements SmartLifecycle, ApplicationEventPublisherAware {

	private static final Logger logger = LoggerFactory.getLogger(KafkaSubscriptions.class);

	private final KafkaEventStore store;

	private final HandlerEndpointRegistry registry;

	private final Map<String, Object> consumerProperties;

	private final KafkaSubscriptionSettings settings;

	private final List<ConcurrentMessageListenerContainer<String, byte[]>> containers = new ArrayList<>();

	private final List<HandlerEndpoint> started = new ArrayList<>();

	private final Map<String, SubscriptionActivity> activities = new ConcurrentHashMap<>();

	private volatile @Nullable KafkaSubscriptionControl control;

	private final SubscriptionKeepAlive keepAlive = new SubscriptionKeepAlive("eventy-subscriptions-keep-alive");

	private ApplicationEventPublisher eventPublisher = (event) -> {
	};

	private java.util.function.Consumer<DefaultKafkaConsumerFactory<String, byte[]>> consumerFactoryCustomizer = (
			factory) -> {
	};

	private volatile HandlerObserver observer = HandlerObserver.noop();

	private volatile @Nullable ContainerProperties containerDefaults;

	private volatile int concurrency = 1;

	private volatile boolean running;

	/**
	 * Create the subscriptions runner.
	 * @param store the Kafka store: its producers emit handler results, dead letters and
	 * transactions
	 * @param registry the handlers
	 * @param consumerProperties Kafka consumer properties, with bootstrap servers (such
	 * as Spring Boot's {@code spring.kafka.consumer.*}); group, offsets, isolation and
	 * deserializers are Eventy's
	 * @param settings topics, consumer groups, retries and start position
	 */
	public KafkaSubscriptions(KafkaEventStore store, HandlerEndpointRegistry registry,
			Map<String, ?> consumerProperties, KafkaSubscriptionSettings settings) {
		this.store = Objects.requireNonNull(store, "store");
		this.registry = Objects.requireNonNull(registry, "registry");
		this.consumerProperties = new HashMap<>(consumerProperties);
		this.settings = Objects.requireNonNull(settings, "settings");
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
	 * Set what to do with the consumer factory of each subscription before its consumers
	 * start, for example add a listener that binds the consumers' metrics to Micrometer.
	 * @param customizer called once per subscription with its consumer factory
	 */
	public void setConsumerFactoryCustomizer(
			java.util.function.Consumer<DefaultKafkaConsumerFactory<String, byte[]>> customizer) {
		this.consumerFactoryCustomizer = Objects.requireNonNull(customizer, "customizer");
	}

	/**
	 * Set the container properties each subscription's container starts from, such as
	 * those of the application's {@code ConcurrentKafkaListenerContainerFactory} (with
	 * Spring Boot's {@code spring.kafka.listener.*}: idle between polls, monitor
	 * interval, observation, immediate stop, ...). Eventy keeps its own topics, consumer
	 * group, client id, listener, consumer threads, acknowledgment mode, transaction
	 * manager, poll timeout and idle event interval
	 * ({@code eventy.handlers.poll-interval}), and reads missing topics once they exist.
	 * Subscriptions started before keep the previous defaults.
	 * @param defaults the properties to copy, or {@code null} for Spring Kafka's defaults
	 */
	public void setContainerDefaults(@Nullable ContainerProperties defaults) {
		this.containerDefaults = defaults;
	}

	/**
	 * Set how many consumers each subscription runs in this instance (Spring Boot's
	 * {@code spring.kafka.listener.concurrency}). The partitions of a subscription are
	 * shared by all consumers of its group across instances: consumers beyond the number
	 * of partitions stay idle. Subscriptions started before keep the previous number.
	 * @param concurrency the consumers per subscription, 1 by default
	 */
	public void setConcurrency(int concurrency) {
		if (concurrency < 1) {
			throw new IllegalArgumentException("A subscription needs at least one consumer, was " + concurrency);
		}
		this.concurrency = concurrency;
	}

	/**
	 * Set the control topic reader through which operators pause, resume and reset
	 * subscriptions on every instance ({@link KafkaSubscriptionOperations}). It is read
	 * to its end before the subscriptions start, so that a paused subscription starts
	 * paused. Without it, subscriptions cannot be paused nor reset.
	 * @param control the control, or {@code null} for none
	 */
	public void setControl(@Nullable KafkaSubscriptionControl control) {
		this.control = control;
	}

	/**
	 * Return the control topic reader.
	 * @return the control, or {@code null} when none was set
	 */
	@Nullable KafkaSubscriptionControl control() {
		return this.control;
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher applicationEventPublisher) {
		this.eventPublisher = applicationEventPublisher;
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
		SubscriptionContainerFactory factory = new SubscriptionContainerFactory(this.store, this.settings,
				this.consumerProperties, this.consumerFactoryCustomizer, this.observer, this.containerDefaults,
				this.concurrency, this::caughtUp);
		this.keepAlive.start();
		KafkaSubscriptionControl control = this.control;
		try {
			if (control != null) {
				control.start(this::apply);
			}
			for (HandlerEndpoint endpoint : endpoints) {
				SubscriptionActivity activity = this.activities.computeIfAbsent(endpoint.subscription(),
						(name) -> new SubscriptionActivity(name, Clock.systemUTC()));
				ConcurrentMessageListenerContainer<String, byte[]> container = factory.create(endpoint, activity);
				KafkaSubscriptionControl.State state = (control != null) ? control.state(endpoint.subscription())
						: KafkaSubscriptionControl.State.RUNNING;
				// listed before it starts, so that one failing half-started is stopped
				this.containers.add(container);
				this.started.add(endpoint);
				if (state.paused()) {
					container.pause();
				}
				if (state.stopped(System.currentTimeMillis())) {
					logger.info("Subscription {} starts once the reset under way ends", endpoint.subscription());
					continue;
				}
				container.start();
				logger.info("Started subscription {} ({}) as consumer group {} on {}{}", endpoint.subscription(),
						endpoint.guarantee(), this.settings.groupId(endpoint.subscription()),
						this.settings.topicsOf(endpoint), state.paused() ? ", paused" : "");
			}
		}
		catch (RuntimeException | Error ex) {
			// not running, so no one else stops what did start
			stop();
			throw ex;
		}
	}

	private void caughtUp(HandlerEndpoint endpoint) {
		logger.info("Subscription {} caught up", endpoint.subscription());
		this.eventPublisher.publishEvent(new SubscriptionCaughtUpEvent(this, endpoint.subscription()));
	}

	/**
	 * Stop every subscription after the record it handles, all at once, waiting at most
	 * the containers' shutdown timeout (Spring Kafka's, 10 seconds, unless the container
	 * defaults say otherwise); a consumer still handling then is abandoned. The JVM may
	 * exit from then on.
	 */
	@Override
	public void stop() {
		KafkaSubscriptionControl control = this.control;
		if (control != null) {
			control.stop();
		}
		List<ConcurrentMessageListenerContainer<String, byte[]>> stopping = signalStop();
		try {
			awaitStop(stopping);
		}
		finally {
			this.keepAlive.stop();
		}
		if (!stopping.isEmpty()) {
			logger.info("Stopped {} subscription(s)", stopping.size());
		}
	}

	private synchronized List<ConcurrentMessageListenerContainer<String, byte[]>> signalStop() {
		List<ConcurrentMessageListenerContainer<String, byte[]>> stopping = List.copyOf(this.containers);
		this.containers.clear();
		this.started.clear();
		this.running = false;
		return stopping;
	}

	/**
	 * Apply what the control topic says about a subscription to its container in this
	 * instance: pause or resume it, stop it while a reset is under way, start it again
	 * after. Runs on the control thread.
	 */
	private void apply(String subscription, KafkaSubscriptionControl.State state) {
		ConcurrentMessageListenerContainer<String, byte[]> container;
		synchronized (this) {
			container = container(subscription);
			if (container == null || !this.running) {
				return;
			}
			if (state.paused() && !container.isPauseRequested()) {
				container.pause();
				logger.info("Paused subscription {}", subscription);
			}
			else if (!state.paused() && container.isPauseRequested()) {
				container.resume();
				logger.info("Resumed subscription {}", subscription);
			}
		}
		if (state.stopped(System.currentTimeMillis())) {
			if (container.isRunning()) {
				logger.info("Stopping subscription {} for a reset of its consumer group", subscription);
				container.stop(() -> {
				});
			}
			return;
		}
		if (!container.isRunning()) {
			// the consumers of the stop must be gone before new ones start
			long deadline = System.nanoTime()
					+ TimeUnit.MILLISECONDS.toNanos(container.getContainerProperties().getShutdownTimeout());
			while (container.isChildRunning() && System.nanoTime() < deadline) {
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
			synchronized (this) {
				if (this.running && this.containers.contains(container) && !container.isRunning()) {
					container.start();
					logger.info("Started subscription {} again", subscription);
				}
			}
		}
	}

	private static void awaitStop(List<ConcurrentMessageListenerContainer<String, byte[]>> containers) {
		List<CountDownLatch> stopped = new ArrayList<>(containers.size());
		long timeout = 0;
		for (ConcurrentMessageListenerContainer<String, byte[]> container : containers) {
			CountDownLatch latch = new CountDownLatch(1);
			container.stop(latch::countDown);
			stopped.add(latch);
			timeout = Math.max(timeout, container.getContainerProperties().getShutdownTimeout());
		}
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
		for (int i = 0; i < containers.size(); i++) {
			try {
				if (!stopped.get(i).await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
					logger.warn("Consumer group {} did not stop within {} ms; its record in flight is abandoned",
							containers.get(i).getGroupId(),
							containers.get(i).getContainerProperties().getShutdownTimeout());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Return how each started subscription is doing in this instance, for health checks;
	 * one that a reset under way stopped on purpose counts as running.
	 * @return one status per subscription, in start order; none when stopped
	 */
	public synchronized List<KafkaSubscriptionStatus> status() {
		List<KafkaSubscriptionStatus> status = new ArrayList<>(this.containers.size());
		for (int i = 0; i < this.containers.size(); i++) {
			ConcurrentMessageListenerContainer<String, byte[]> container = this.containers.get(i);
			HandlerEndpoint endpoint = this.started.get(i);
			int partitions = container.getContainers()
				.stream()
				.mapToInt((child) -> (child.getAssignedPartitions() != null) ? child.getAssignedPartitions().size() : 0)
				.sum();
			status.add(
					new KafkaSubscriptionStatus(endpoint.subscription(), this.settings.groupId(endpoint.subscription()),
							endpoint.guarantee(), this.settings.topicsOf(endpoint),
							resetting(endpoint.subscription()) || container.isRunning()
									&& container.getContainers().stream().allMatch(MessageListenerContainer::isRunning),
							partitions));
		}
		return status;
	}

	/**
	 * Return whether a subscription is paused
	 * ({@link KafkaSubscriptionOperations#pause}).
	 * @param subscription the subscription name
	 * @return whether it is paused in this instance or the control topic says so
	 */
	public boolean isPaused(String subscription) {
		ConcurrentMessageListenerContainer<String, byte[]> container = container(subscription);
		KafkaSubscriptionControl control = this.control;
		return (container != null && container.isPauseRequested())
				|| (control != null && control.state(subscription).paused());
	}

	/**
	 * Return whether a reset stops a subscription on purpose: its consumers stopping is
	 * then no failure.
	 */
	private boolean resetting(String subscription) {
		KafkaSubscriptionControl control = this.control;
		return control != null && control.state(subscription).stopped(System.currentTimeMillis());
	}

	/**
	 * Return whether every subscription's consumers have partitions assigned.
	 * @return {@code true} once each consumer joined its group and got partitions
	 */
	boolean isAssigned() {
		return this.running && this.containers.stream()
			.flatMap((container) -> container.getContainers().stream())
			.allMatch((child) -> child.getAssignedPartitions() != null && !child.getAssignedPartitions().isEmpty());
	}

	/**
	 * Return how many partitions the consumers of every subscription have in all.
	 * @return the number of assigned partitions
	 */
	int assignedPartitions() {
		return this.containers.stream()
			.flatMap((container) -> container.getContainers().stream())
			.mapToInt((child) -> (child.getAssignedPartitions() != null) ? child.getAssignedPartitions().size() : 0)
			.sum();
	}

	/**
	 * Return the container of a running subscription.
	 * @param subscription the subscription name
	 * @return its container, or {@code null} when it does not run here
	 */
	synchronized @Nullable ConcurrentMessageListenerContainer<String, byte[]> container(String subscription) {
		for (int i = 0; i < this.started.size(); i++) {
			if (this.started.get(i).subscription().equals(subscription)) {
				return this.containers.get(i);
			}
		}
		return null;
	}

	/**
	 * Return where the consumers of a subscription in this instance are: the sum of the
	 * positions (next offsets to read) of the partitions they read, as they last measured
	 * it (after each record, and when idle); no call to the broker.
	 * @param subscription the subscription name
	 * @return the positions, or {@code -1} when not measured
	 */
	public long position(String subscription) {
		SubscriptionActivity activity = this.activities.get(subscription);
		return (activity != null) ? activity.position() : -1;
	}

	/**
	 * Return how many records wait on the partitions the consumers of a subscription read
	 * in this instance, as they last measured it (after each record, and when idle); no
	 * call to the broker. The other instances of the service report the other partitions.
	 * @param subscription the subscription name
	 * @return the records waiting, or {@code -1} when not measured
	 */
	public long lag(String subscription) {
		SubscriptionActivity activity = this.activities.get(subscription);
		return (activity != null) ? activity.lag() : -1;
	}

	/**
	 * Return what a subscription did in this instance.
	 * @param subscription the subscription name
	 * @return its activity, or {@code null} when it never started here
	 */
	@Nullable SubscriptionActivity activity(String subscription) {
		return this.activities.get(subscription);
	}

	/**
	 * Return the handlers, one subscription each.
	 * @return the registry
	 */
	HandlerEndpointRegistry registry() {
		return this.registry;
	}

	/**
	 * Return the topics and consumer groups of the subscriptions.
	 * @return the settings
	 */
	KafkaSubscriptionSettings settings() {
		return this.settings;
	}

	/**
	 * Return the containers of the running subscriptions.
	 * @return the containers, in start order
	 */
	synchronized List<ConcurrentMessageListenerContainer<String, byte[]>> containers() {
		return List.copyOf(this.containers);
	}

}
