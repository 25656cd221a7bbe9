package io.eventy.store.kafka;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * The control topic of a service's subscriptions: a compacted topic, keyed by
 * subscription name, whose latest value per key says whether that subscription is paused
 * and whether a reset asked every instance to stop it for a while. Every instance reads
 * it from the beginning without a consumer group (every instance sees every command),
 * before its subscriptions start (so that a paused subscription starts paused) and then
 * for as long as they run, and applies each command to its own listener containers.
 * <p>
 * Commands are written in a Kafka transaction of the store's producers and read
 * {@code read_committed}. The value is a small JSON object:
 * {@code {"paused":true,"stop":"<reset id>","stopUntil":<epoch millis>}}; a missing key
 * or a tombstone means running.
 */
public final class KafkaSubscriptionControl {

	private static final Logger logger = LoggerFactory.getLogger(KafkaSubscriptionControl.class);

	private static final ObjectMapper objectMapper = new ObjectMapper()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

	private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

	private static final long REAPPLY_NANOS = Duration.ofSeconds(1).toNanos();

	private final Map<String, Object> consumerProperties;

	private final KafkaEventStore store;

	private final String topic;

	private final Duration startTimeout;

	private final Map<String, State> states = new ConcurrentHashMap<>();

	private volatile BiConsumer<String, State> onChange = (name, state) -> {
	};

	private volatile @Nullable Thread thread;

	private volatile @Nullable KafkaConsumer<String, byte[]> consumer;

	private volatile boolean available;

	/** The offset after the last record read: what was written before it is applied. */
	private volatile long readOffset = -1;

	/**
	 * Create the control of a service's subscriptions.
	 * @param consumerProperties Kafka consumer properties, with bootstrap servers
	 * @param store the store, whose producers write commands
	 * @param topic the control topic, compacted, such as
	 * {@link KafkaSubscriptionSettings#controlTopic()}
	 * @param startTimeout how long the start waits to read the topic to its end
	 */
	public KafkaSubscriptionControl(Map<String, ?> consumerProperties, KafkaEventStore store, String topic,
			Duration startTimeout) {
		this.consumerProperties = new HashMap<>(consumerProperties);
		this.consumerProperties.remove(ConsumerConfig.GROUP_ID_CONFIG);
		this.consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		this.consumerProperties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		this.consumerProperties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		this.consumerProperties.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
		this.consumerProperties.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
		this.store = Objects.requireNonNull(store, "store");
		this.topic = KafkaTopics.checkTopicName(topic, "The control topic");
		this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
	}

	/**
	 * Return the control topic.
	 * @return its name
	 */
	public String topic() {
		return this.topic;
	}

	/**
	 * Read the control topic to its end, then go on reading it on a thread of its own,
	 * calling {@code onChange} with each subscription's new state, and again every second
	 * while a stop is in force (so that one whose requester died ends on time).
	 * @param onChange called on the control thread
	 */
	synchronized void start(BiConsumer<String, State> onChange) {
		if (this.thread != null) {
			return;
		}
		this.onChange = onChange;
		KafkaConsumer<String, byte[]> created = new KafkaConsumer<>(this.consumerProperties, new StringDeserializer(),
				new ByteArrayDeserializer());
		try {
			readToEnd(created);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not read control topic {} at startup; subscriptions start as if none were paused and "
					+ "are paused once it can be read: {}", this.topic, ex.toString());
		}
		this.consumer = created;
		Thread reader = new Thread(() -> run(created), "eventy-subscription-control");
		reader.setDaemon(true);
		this.thread = reader;
		reader.start();
	}

	private void readToEnd(KafkaConsumer<String, byte[]> consumer) {
		if (!assign(consumer, this.startTimeout)) {
			logger.warn("Control topic {} does not exist: subscriptions cannot be paused or reset until it is created "
					+ "(compacted, one partition)", this.topic);
			return;
		}
		Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), this.startTimeout);
		long deadline = System.nanoTime() + this.startTimeout.toNanos();
		while (ends.entrySet().stream().anyMatch((end) -> consumer.position(end.getKey()) < end.getValue())) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						"Could not read control topic " + this.topic + " to its end within " + this.startTimeout);
			}
			for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL_TIMEOUT)) {
				accept(record, false);
			}
		}
	}

	private boolean assign(KafkaConsumer<String, byte[]> consumer, Duration timeout) {
		List<PartitionInfo> infos = consumer.partitionsFor(this.topic, timeout);
		if (infos == null || infos.isEmpty()) {
			return false;
		}
		List<TopicPartition> partitions = new ArrayList<>();
		infos.forEach((info) -> partitions.add(new TopicPartition(info.topic(), info.partition())));
		consumer.assign(partitions);
		consumer.seekToBeginning(partitions);
		this.available = true;
		return true;
	}

	private void run(KafkaConsumer<String, byte[]> consumer) {
		long appliedAt = System.nanoTime();
		try {
			while (this.thread == Thread.currentThread()) {
				try {
					if (!this.available && !assign(consumer, Duration.ofSeconds(5))) {
						Thread.sleep(POLL_TIMEOUT.toMillis());
						continue;
					}
					for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL_TIMEOUT)) {
						accept(record, true);
					}
					if (System.nanoTime() - appliedAt > REAPPLY_NANOS) {
						appliedAt = System.nanoTime();
						this.states.forEach((name, state) -> {
							if (state.stop() != null) {
								apply(name, state);
							}
						});
					}
				}
				catch (WakeupException ex) {
					throw ex;
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				catch (RuntimeException ex) {
					logger.warn("Reading control topic {} failed; trying again", this.topic, ex);
					Thread.sleep(1000);
				}
			}
		}
		catch (WakeupException ex) {
			// stopping
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			consumer.close(Duration.ofSeconds(5));
		}
	}

	private void accept(ConsumerRecord<String, byte[]> record, boolean notify) {
		try {
			accept(record.key(), record, notify);
		}
		finally {
			this.readOffset = record.offset() + 1;
		}
	}

	private void accept(@Nullable String name, ConsumerRecord<String, byte[]> record, boolean notify) {
		if (name == null) {
			return;
		}
		State state = State.RUNNING;
		if (record.value() != null) {
			try {
				state = objectMapper.readValue(record.value(), State.class);
			}
			catch (IOException ex) {
				logger.warn("Ignoring unreadable command for subscription {} at offset {} of {}: {}", name,
						record.offset(), this.topic, ex.toString());
				return;
			}
		}
		if (state.equals(State.RUNNING)) {
			this.states.remove(name);
		}
		else {
			this.states.put(name, state);
		}
		if (notify) {
			apply(name, state);
		}
	}

	private void apply(String name, State state) {
		try {
			this.onChange.accept(name, state);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not apply {} to subscription {}", state, name, ex);
		}
	}

	/**
	 * Stop reading the control topic.
	 */
	synchronized void stop() {
		Thread reader = this.thread;
		KafkaConsumer<String, byte[]> current = this.consumer;
		this.thread = null;
		this.consumer = null;
		if (current != null) {
			current.wakeup();
		}
		if (reader != null) {
			try {
				reader.join(TimeUnit.SECONDS.toMillis(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Return the latest state of a subscription this instance read.
	 * @param subscription the subscription name
	 * @return its state, {@link State#RUNNING} when nothing was said about it
	 */
	State state(String subscription) {
		return this.states.getOrDefault(subscription, State.RUNNING);
	}

	/**
	 * Write the new state of a subscription for every instance, and wait until this
	 * instance read and applied it (at most the start timeout), so that what it reads
	 * next holds it.
	 * @param subscription the subscription name
	 * @param state its state; {@link State#RUNNING} writes a tombstone
	 * @throws IllegalStateException when the control topic does not exist or the command
	 * could not be written
	 */
	void write(String subscription, State state) {
		if (!this.available) {
			throw new IllegalStateException("Control topic " + this.topic + " does not exist or cannot be read: "
					+ "create it (compacted, one partition) or let Eventy create it (eventy.kafka.create-topics)");
		}
		byte[] value;
		try {
			value = state.equals(State.RUNNING) ? null : objectMapper.writeValueAsBytes(state);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		long offset;
		try {
			offset = this.store.template()
				.executeInTransaction((operations) -> operations.send(this.topic, subscription, value))
				.get(this.startTimeout.toMillis(), TimeUnit.MILLISECONDS)
				.getRecordMetadata()
				.offset();
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not write to control topic " + this.topic + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while writing to control topic " + this.topic, ex);
		}
		long deadline = System.nanoTime() + this.startTimeout.toNanos();
		while (this.readOffset <= offset && System.nanoTime() < deadline) {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/**
	 * Return whether the control topic was found.
	 * @return {@code true} once it was read
	 */
	boolean isAvailable() {
		return this.available;
	}

	/**
	 * What the control topic says about one subscription.
	 *
	 * @param paused whether it is paused
	 * @param stop the id of the reset that asked every instance to stop it, or
	 * {@code null}
	 * @param stopUntil until when the stop holds (epoch milliseconds), so that a reset
	 * whose requester died does not stop the subscription for ever
	 */
	record State(boolean paused, @Nullable String stop, long stopUntil) {

		/** A running subscription. */
		static final State RUNNING = new State(false, null, 0);

		State withPaused(boolean paused) {
			return new State(paused, this.stop, this.stopUntil);
		}

		State withStop(@Nullable String stop, long stopUntil) {
			return new State(this.paused, stop, stopUntil);
		}

		/**
		 * Return whether the subscription's containers are to be stopped now.
		 * @param now the time in epoch milliseconds
		 * @return whether a stop holds
		 */
		boolean stopped(long now) {
			return this.stop != null && now < this.stopUntil;
		}

	}

}
