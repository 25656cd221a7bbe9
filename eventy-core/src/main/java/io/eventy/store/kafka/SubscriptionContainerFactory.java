package io.eventy.store.kafka;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.eventy.handler.Guarantee;
import io.eventy.handler.HandlerEndpoint;
import io.eventy.handler.HandlerObserver;
import io.eventy.handler.StartPosition;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.BeanUtils;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.event.ConsumerStoppedEvent;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.listener.CompositeRecordInterceptor;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.transaction.KafkaTransactionManager;

/**
 * Builds the listener container of one subscription: a consumer group of its own on its
 * topics, Eventy's consumer settings, the listener with its interceptors (the record's
 * context, the records an {@link Guarantee#EXACTLY_ONCE} subscription skips, when it
 * caught up) and the {@link SubscriptionErrorHandling error handling}.
 * <p>
 * The container starts from the {@link #SubscriptionContainerFactory defaults} (such as
 * the container properties of Spring Boot's listener container factory, with
 * {@code spring.kafka.listener.*}), except for what Eventy decides for its guarantees:
 * {@link #OWN_PROPERTIES}.
 */
final class SubscriptionContainerFactory {

	/**
	 * Container properties Eventy sets itself whatever the defaults say: the topics,
	 * group, client id and listener, the acknowledgment and transactions its guarantees
	 * need, the consumer threads (daemon threads), the poll timeout and idle interval
	 * ({@code eventy.handlers.poll-interval}), that a missing topic is read once created,
	 * that offsets are committed past transaction markers, and that a pause takes effect
	 * after the record being handled.
	 */
	static final String[] OWN_PROPERTIES = { "topics", "topicPartitions", "topicPattern", "messageListener", "groupId",
			"clientId", "consumerRebalanceListener", "listenerTaskExecutor", "ackMode", "ackCount", "ackTime",
			"asyncAcks", "transactionManager", "kafkaAwareTransactionManager", "subBatchPerPartition",
			"kafkaConsumerProperties", "pollTimeout", "idleEventInterval", "missingTopicsFatal", "fixTxOffsets",
			"pauseImmediate" };

	private static final Logger logger = LoggerFactory.getLogger(SubscriptionContainerFactory.class);

	private static final Duration MISSING_TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(5);

	private final KafkaEventStore store;

	private final KafkaSubscriptionSettings settings;

	private final Map<String, Object> consumerProperties;

	private final Consumer<DefaultKafkaConsumerFactory<String, byte[]>> consumerFactoryCustomizer;

	private final HandlerObserver observer;

	private final @Nullable ContainerProperties defaults;

	private final int concurrency;

	private final Consumer<HandlerEndpoint> onCaughtUp;

	private final SubscriptionErrorHandling errorHandling;

	/**
	 * Create a factory.
	 * @param store the store whose producers emit results, dead letters and transactions
	 * @param settings topics, groups, retries and start position
	 * @param consumerProperties the Kafka consumer properties Eventy overrides
	 * @param consumerFactoryCustomizer called with each subscription's consumer factory
	 * @param observer observes the handler calls
	 * @param defaults the container properties to start from, or {@code null}
	 * @param concurrency the consumers of each subscription in this instance
	 * @param onCaughtUp called on a consumer thread when a subscription caught up
	 */
	SubscriptionContainerFactory(KafkaEventStore store, KafkaSubscriptionSettings settings,
			Map<String, Object> consumerProperties,
			Consumer<DefaultKafkaConsumerFactory<String, byte[]>> consumerFactoryCustomizer, HandlerObserver observer,
			@Nullable ContainerProperties defaults, int concurrency, Consumer<HandlerEndpoint> onCaughtUp) {
		this.store = store;
		this.settings = settings;
		this.consumerProperties = consumerProperties;
		this.consumerFactoryCustomizer = consumerFactoryCustomizer;
		this.observer = observer;
		this.defaults = defaults;
		this.concurrency = concurrency;
		this.onCaughtUp = onCaughtUp;
		this.errorHandling = new SubscriptionErrorHandling(store.template(), settings, Clock.systemUTC());
	}

	/**
	 * Build the container of a subscription, not started.
	 * @param endpoint the subscription's handler
	 * @param activity notes what the subscription does
	 * @return the container
	 */
	ConcurrentMessageListenerContainer<String, byte[]> create(HandlerEndpoint endpoint, SubscriptionActivity activity) {
		String group = this.settings.groupId(endpoint.subscription());
		List<String> topics = this.settings.topicsOf(endpoint);
		RecordScopes scopes = new RecordScopes(this.store.mapper());
		SubscriptionListener listener = new SubscriptionListener(endpoint, scopes, group, this.observer, activity);
		CaughtUpTracker tracker = new CaughtUpTracker(listener, () -> this.onCaughtUp.accept(endpoint),
				(consumer) -> warnAboutMissingTopics(endpoint, consumer, topics));

		ContainerProperties properties = new ContainerProperties(topics.toArray(String[]::new));
		if (this.defaults != null) {
			BeanUtils.copyProperties(this.defaults, properties, OWN_PROPERTIES);
		}
		// another service's topic may not exist yet: the consumer reads it once created
		properties.setMissingTopicsFatal(false);
		// commit past transaction markers when idle, so that lag reads 0 at the end
		properties.setFixTxOffsets(true);
		properties.setGroupId(group);
		properties.setClientId(group);
		properties.setListenerTaskExecutor(consumerThreads(group));
		properties.setMessageListener(listener);
		properties.setConsumerRebalanceListener(tracker);
		// a pause takes effect after the record being handled, not after the whole poll
		properties.setPauseImmediate(true);
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
		container.setConcurrency(this.concurrency);
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
				activity.failed("A consumer stopped: " + stopped.getReason());
				logger.error(
						"A consumer of subscription {} stopped ({}): its partitions are not handled until the "
								+ "application restarts; the health indicator shows it DOWN",
						endpoint.subscription(), stopped.getReason());
			}
		});
		this.errorHandling.configure(container, listener, scopes);
		return container;
	}

	/**
	 * Return the executor of a subscription's consumer threads: as Spring Kafka's own,
	 * except that they are daemon threads; the keep-alive holds the JVM until the
	 * subscriptions stop, not a handler that does not return.
	 */
	private static SimpleAsyncTaskExecutor consumerThreads(String group) {
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(group + "-C-");
		executor.setDaemon(true);
		return executor;
	}

	private void warnAboutMissingTopics(HandlerEndpoint endpoint,
			org.apache.kafka.clients.consumer.Consumer<?, ?> consumer, List<String> topics) {
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

}
