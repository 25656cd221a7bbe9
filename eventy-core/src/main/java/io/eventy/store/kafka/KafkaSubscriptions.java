package io.eventy.store.kafka;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import io.eventy.handler.Guarantee;
import io.eventy.handler.HandlerEndpoint;
import io.eventy.handler.HandlerEndpointRegistry;
import io.eventy.handler.HandlerObserver;
import io.eventy.handler.RetryPolicy;
import io.eventy.handler.StartPosition;
import io.eventy.handler.SubscriptionCaughtUpEvent;
import io.eventy.handler.SubscriptionKeepAlive;
import io.eventy.record.PayloadConversionException;
import io.eventy.serializer.RecordSerializationException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.event.ConsumerStoppedEvent;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.listener.CompositeRecordInterceptor;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.FailedRecordProcessor;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.kafka.transaction.KafkaTransactionManager;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.FixedBackOff;

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
 * <li>a new subscription starts at the earliest record, or the latest if configured;
 * {@link SubscriptionCaughtUpEvent} is published once it reached the end offsets its
 * partitions had when first assigned.</li>
 * </ul>
 * While subscriptions run, a {@link SubscriptionKeepAlive} keeps the JVM running, so that
 * an application whose only work is handling records does not exit. The consumers run on
 * daemon threads (Spring Kafka's own would not be), so that a handler that does not
 * return in time when the subscriptions stop never keeps the JVM from exiting.
 */
public final class KafkaSubscriptions implements SmartLifecycle, ApplicationEventPublisherAware {

	private static final Logger logger = LoggerFactory.getLogger(KafkaSubscriptions.class);

	private static final Duration MISSING_TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(5);

	private final KafkaEventStore store;

	private final HandlerEndpointRegistry registry;

	private final Map<String, Object> consumerProperties;

	private final KafkaSubscriptionSettings settings;

	private final List<ConcurrentMessageListenerContainer<String, byte[]>> containers = new ArrayList<>();

	private final List<HandlerEndpoint> started = new ArrayList<>();

	private final SubscriptionKeepAlive keepAlive = new SubscriptionKeepAlive("eventy-subscriptions-keep-alive");

	private ApplicationEventPublisher eventPublisher = (event) -> {
	};

	private java.util.function.Consumer<DefaultKafkaConsumerFactory<String, byte[]>> consumerFactoryCustomizer = (
			factory) -> {
	};

	private volatile HandlerObserver observer = HandlerObserver.noop();

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
		this.keepAlive.start();
		try {
			for (HandlerEndpoint endpoint : endpoints) {
				ConcurrentMessageListenerContainer<String, byte[]> container = container(endpoint);
				// listed before it starts, so that one failing half-started is stopped
				this.containers.add(container);
				container.start();
				this.started.add(endpoint);
				logger.info("Started subscription {} ({}) as consumer group {} on {}", endpoint.subscription(),
						endpoint.guarantee(), this.settings.groupId(endpoint.subscription()),
						this.settings.topicsOf(endpoint));
			}
		}
		catch (RuntimeException | Error ex) {
			// not running, so no one else stops what did start
			stop();
			throw ex;
		}
	}

	/**
	 * Stop every subscription after the record it handles, all at once, waiting at most
	 * the containers' shutdown timeout (Spring Kafka's, 10 seconds); a consumer still
	 * handling then is abandoned. The JVM may exit from then on.
	 */
	@Override
	public void stop() {
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

	private static void awaitStop(List<ConcurrentMessageListenerContainer<String, byte[]>> containers) {
		List<CountDownLatch> stopped = new ArrayList<>(containers.size());
		for (ConcurrentMessageListenerContainer<String, byte[]> container : containers) {
			CountDownLatch latch = new CountDownLatch(1);
			container.stop(latch::countDown);
			stopped.add(latch);
		}
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ContainerProperties.DEFAULT_SHUTDOWN_TIMEOUT);
		for (int i = 0; i < containers.size(); i++) {
			try {
				if (!stopped.get(i).await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
					logger.warn("Consumer group {} did not stop within {} ms; its record in flight is abandoned",
							containers.get(i).getGroupId(), ContainerProperties.DEFAULT_SHUTDOWN_TIMEOUT);
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
	 * Return how each started subscription is doing in this instance, for health checks.
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
							container.isRunning()
									&& container.getContainers().stream().allMatch(MessageListenerContainer::isRunning),
							partitions));
		}
		return status;
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

	private ConcurrentMessageListenerContainer<String, byte[]> container(HandlerEndpoint endpoint) {
		String group = this.settings.groupId(endpoint.subscription());
		List<String> topics = this.settings.topicsOf(endpoint);
		RecordScopes scopes = new RecordScopes(this.store.mapper());
		SubscriptionListener listener = new SubscriptionListener(endpoint, scopes, group, this.observer);
		CaughtUpTracker tracker = new CaughtUpTracker(listener, () -> {
			logger.info("Subscription {} caught up", endpoint.subscription());
			this.eventPublisher.publishEvent(new SubscriptionCaughtUpEvent(this, endpoint.subscription()));
		}, (consumer) -> warnAboutMissingTopics(endpoint, consumer, topics));

		ContainerProperties properties = new ContainerProperties(topics.toArray(String[]::new));
		// another service's topic may not exist yet: the consumer reads it once created
		properties.setMissingTopicsFatal(false);
		// commit past transaction markers when idle, so that lag reads 0 at the end
		properties.setFixTxOffsets(true);
		properties.setGroupId(group);
		properties.setClientId(group);
		properties.setListenerTaskExecutor(consumerThreads(group));
		properties.setMessageListener(listener);
		properties.setConsumerRebalanceListener(tracker);
		properties.setPollTimeout(this.settings.options().pollInterval().toMillis());
		properties.setIdleEventInterval(this.settings.options().pollInterval().toMillis());
		properties.setAckMode(switch (endpoint.guarantee()) {
			case AT_MOST_ONCE -> AckMode.MANUAL_IMMEDIATE;
			case AT_LEAST_ONCE -> AckMode.BATCH;
			// each record handled commits its offset in its transaction; the offsets of
			// skipped records go with the next one, or are committed after the poll's
			// records
			case EXACTLY_ONCE -> AckMode.BATCH;
		});
		if (endpoint.guarantee() == Guarantee.EXACTLY_ONCE) {
			properties
				.setKafkaAwareTransactionManager(new KafkaTransactionManager<>(this.store.producerFactoryInUse()));
		}

		// the container copies its properties: everything is set before it is created
		ConcurrentMessageListenerContainer<String, byte[]> container = new ConcurrentMessageListenerContainer<>(
				consumerFactory(group), properties);
		container.setBeanName(group);
		// the scopes first: the record's scope is closed when the tracker publishes
		container.setRecordInterceptor((endpoint.guarantee() == Guarantee.EXACTLY_ONCE)
				? new CompositeRecordInterceptor<>(scopes, new UnselectedRecordFilter(listener, scopes), tracker)
				: new CompositeRecordInterceptor<>(scopes, tracker));
		container.setApplicationEventPublisher((event) -> {
			if (event instanceof ListenerContainerIdleEvent idle) {
				tracker.idle(idle.getConsumer());
			}
			else if (event instanceof ConsumerStoppedEvent stopped
					&& stopped.getReason() != ConsumerStoppedEvent.Reason.NORMAL) {
				logger.error(
						"A consumer of subscription {} stopped ({}): its partitions are not handled until the "
								+ "application restarts; the health indicator shows it DOWN",
						endpoint.subscription(), stopped.getReason());
			}
		});
		DeadLetterPublishingRecoverer recoverer = DeadLetterRecoverer.create(this.store.template(), listener,
				this.settings, Clock.systemUTC());
		BackOff backOff = backOff(endpoint);
		SubscriptionRetryListener retries = new SubscriptionRetryListener(listener, scopes,
				this.settings.options().retry(), this.settings);
		if (endpoint.guarantee() == Guarantee.EXACTLY_ONCE) {
			DefaultAfterRollbackProcessor<String, byte[]> processor = new DefaultAfterRollbackProcessor<>(recoverer,
					backOff, this.store.template(), true);
			classify(processor, endpoint, backOff, retries);
			container.setAfterRollbackProcessor(processor);
		}
		else {
			DefaultErrorHandler errorHandler = new DefaultErrorHandler(recoverer, backOff);
			classify(errorHandler, endpoint, backOff, retries);
			container.setCommonErrorHandler(errorHandler);
		}
		return container;
	}

	/**
	 * Return the executor of a subscription's consumer threads: as Spring Kafka's own,
	 * except that they are daemon threads; the keep-alive holds the JVM until
	 * {@link #stop()}, not a handler that does not return.
	 */
	private static SimpleAsyncTaskExecutor consumerThreads(String group) {
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(group + "-C-");
		executor.setDaemon(true);
		return executor;
	}

	private void warnAboutMissingTopics(HandlerEndpoint endpoint, Consumer<?, ?> consumer, List<String> topics) {
		for (String topic : topics) {
			if (this.settings.owns(topic)) {
				continue;
			}
			try {
				List<PartitionInfo> partitions = consumer.partitionsFor(topic, MISSING_TOPIC_CHECK_TIMEOUT);
				if (partitions == null || partitions.isEmpty()) {
					logger.warn("Subscription {} reads topic {}, which does not exist yet; its records are handled "
							+ "once the service that writes it creates it", endpoint.subscription(), topic);
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Could not check whether topic {} exists", topic, ex);
			}
		}
	}

	private DefaultKafkaConsumerFactory<String, byte[]> consumerFactory(String group) {
		Map<String, Object> configs = new HashMap<>(this.consumerProperties);
		configs.put(ConsumerConfig.GROUP_ID_CONFIG, group);
		configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
				(this.settings.options().startPosition() == StartPosition.LATEST) ? "latest" : "earliest");
		configs.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, this.settings.options().batchSize());
		configs.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
		configs.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
		DefaultKafkaConsumerFactory<String, byte[]> factory = new DefaultKafkaConsumerFactory<>(configs,
				new StringDeserializer(), new ByteArrayDeserializer());
		// names the consumers in their metrics (tag spring.id, with the client id, which
		// starts with the group)
		factory.setBeanName("eventyConsumerFactory");
		this.consumerFactoryCustomizer.accept(factory);
		return factory;
	}

	private BackOff backOff(HandlerEndpoint endpoint) {
		RetryPolicy policy = this.settings.options().retry();
		if (endpoint.guarantee() == Guarantee.AT_MOST_ONCE || policy.maxAttempts() == 1) {
			return new FixedBackOff(0, 0);
		}
		ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(policy.maxAttempts() - 1);
		backOff.setInitialInterval(policy.initialInterval().toMillis());
		backOff.setMultiplier(policy.multiplier());
		backOff.setMaxInterval(policy.maxInterval().toMillis());
		return backOff;
	}

	private static void classify(FailedRecordProcessor processor, HandlerEndpoint endpoint, BackOff backOff,
			SubscriptionRetryListener retries) {
		processor.addNotRetryableExceptions(RecordSerializationException.class, PayloadConversionException.class);
		// the attempts are counted per record, as on PostgreSQL: a handler failing with
		// another exception does not start the count again (and never retries forever)
		processor.setResetStateOnExceptionChange(false);
		// a retry is counted and logged when the backoff grants one, a dead letter once
		// recovered
		BackOff reported = retries.reporting(backOff);
		BiFunction<ConsumerRecord<?, ?>, Exception, BackOff> backOffFunction = (record,
				ex) -> endpoint.isRetryable(SubscriptionRetryListener.cause(ex)) ? reported : new FixedBackOff(0, 0);
		processor.setBackOffFunction(backOffFunction);
		processor.setRetryListeners(retries);
	}

}
