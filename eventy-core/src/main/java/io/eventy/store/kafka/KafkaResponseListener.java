package io.eventy.store.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.eventy.request.DefaultRequestClient;
import io.eventy.service.ServiceDefinition;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Hands the responses to this service's requests to its {@link DefaultRequestClient}: a
 * consumer without a group reads every partition of the responses topics of the services
 * requests go to (this service's own included), from their end when it starts, so that
 * every instance of the service sees every response and the instance that sent a request
 * completes its future. It starts before the application runs (its phase comes before the
 * subscriptions'), so that no response to a request sent once the application runs is
 * missed.
 */
public final class KafkaResponseListener implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(KafkaResponseListener.class);

	private static final int REFRESH_POLLS = 50;

	private final Map<String, Object> consumerProperties;

	private final List<String> topics;

	private final KafkaRecordMapper mapper;

	private final DefaultRequestClient client;

	private final Duration pollTimeout;

	private volatile @Nullable Thread thread;

	private volatile @Nullable KafkaConsumer<String, byte[]> consumer;

	private volatile boolean complete;

	/**
	 * Create a listener.
	 * @param consumerProperties Kafka client properties, such as Spring Boot's
	 * {@code spring.kafka.consumer.*}; group, offsets and deserializers are Eventy's
	 * @param store the store, whose routing names the responses topics
	 * @param client the client whose requests await responses
	 * @param pollTimeout how long a poll waits
	 */
	public KafkaResponseListener(Map<String, Object> consumerProperties, KafkaEventStore store,
			DefaultRequestClient client, Duration pollTimeout) {
		this.consumerProperties = new HashMap<>(consumerProperties);
		this.consumerProperties.remove(ConsumerConfig.GROUP_ID_CONFIG);
		this.consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		this.consumerProperties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		this.consumerProperties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
		this.consumerProperties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		this.consumerProperties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		this.topics = responseTopics(store);
		this.mapper = store.mapper();
		this.client = Objects.requireNonNull(client, "client");
		this.pollTimeout = Objects.requireNonNull(pollTimeout, "pollTimeout");
	}

	private static List<String> responseTopics(KafkaEventStore store) {
		List<String> topics = new ArrayList<>();
		topics.add(store.topics().responses());
		KafkaRouting routing = store.routing();
		if (routing != null) {
			for (ServiceDefinition other : routing.services().others()) {
				String topic = routing.topicsOf(other).responses();
				if (!topics.contains(topic)) {
					topics.add(topic);
				}
			}
		}
		return List.copyOf(topics);
	}

	/**
	 * Return the topics read.
	 * @return the responses topics
	 */
	public List<String> topics() {
		return this.topics;
	}

	@Override
	public int getPhase() {
		// before the subscriptions (SmartLifecycle's default phase): responses to
		// requests their handlers send are read
		return Integer.MAX_VALUE - 2048;
	}

	@Override
	public void start() {
		KafkaConsumer<String, byte[]> created = new KafkaConsumer<>(this.consumerProperties);
		this.complete = assign(created, true);
		this.consumer = created;
		Thread listener = new Thread(() -> run(created), "eventy-responses");
		listener.setDaemon(true);
		this.thread = listener;
		listener.start();
	}

	@Override
	public void stop() {
		Thread listener = this.thread;
		KafkaConsumer<String, byte[]> current = this.consumer;
		this.thread = null;
		if (current != null) {
			current.wakeup();
		}
		if (listener != null) {
			try {
				listener.join(Duration.ofSeconds(5).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.thread != null;
	}

	/**
	 * Assign the partitions of the responses topics not assigned yet. At the start they
	 * are read from their end (the responses to requests sent from now on); a partition
	 * found later, of a topic created since, from its beginning, as everything on it came
	 * after the start.
	 * @return whether every responses topic has partitions
	 */
	private boolean assign(KafkaConsumer<String, byte[]> consumer, boolean starting) {
		List<TopicPartition> partitions = new ArrayList<>();
		boolean complete = true;
		for (String topic : this.topics) {
			List<PartitionInfo> infos = consumer.partitionsFor(topic);
			if (infos == null || infos.isEmpty()) {
				complete = false;
			}
			else {
				infos.forEach((info) -> partitions.add(new TopicPartition(info.topic(), info.partition())));
			}
		}
		Set<TopicPartition> assigned = consumer.assignment();
		List<TopicPartition> added = partitions.stream().filter((partition) -> !assigned.contains(partition)).toList();
		if (!added.isEmpty()) {
			List<TopicPartition> all = new ArrayList<>(assigned);
			all.addAll(added);
			consumer.assign(all);
			if (starting) {
				consumer.seekToEnd(added);
			}
			else {
				consumer.seekToBeginning(added);
			}
			added.forEach(consumer::position);
		}
		return complete;
	}

	private void run(KafkaConsumer<String, byte[]> consumer) {
		int polls = 0;
		try {
			while (this.thread == Thread.currentThread()) {
				if (!this.complete || ++polls % REFRESH_POLLS == 0) {
					// a responses topic created after the start, or new partitions
					this.complete = assign(consumer, false);
				}
				for (ConsumerRecord<String, byte[]> record : consumer.poll(this.pollTimeout)) {
					try {
						this.client.accept(this.mapper.toStoredRecord(record));
					}
					catch (RuntimeException ex) {
						logger.warn("A record on {} at offset {} of partition {} is not a readable response: {}",
								record.topic(), record.offset(), record.partition(), ex.toString());
					}
				}
			}
		}
		catch (WakeupException ex) {
			// stopping
		}
		catch (RuntimeException ex) {
			logger.error("Reading the responses to this service's requests stopped", ex);
		}
		finally {
			consumer.close();
		}
	}

}
