package io.eventy.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.eventy.record.EventyRecord;
import io.eventy.record.PayloadConverter;
import io.eventy.serializer.RecordSerializer;
import io.eventy.service.ServiceDefinition;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.kafka.EventyKafkaHeaders;
import io.eventy.store.kafka.KafkaEventStore;
import io.eventy.store.kafka.KafkaRouting;
import io.eventy.store.kafka.KafkaSubscriptionStatus;
import io.eventy.store.kafka.KafkaSubscriptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * The Kafka store: a mark is the last stable offset of each partition of the
 * application's own topics (events, requests, responses) and of the topics of the
 * services it declares (where its requests go, where their answers come from); a
 * subscription is done when its consumer group's committed offset is at the last stable
 * offset of every partition of its topics. Records are read back with a consumer of no
 * group, {@code read_committed}.
 */
final class KafkaStoreProbe implements StoreProbe {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final Map<String, Object> clientProperties;

	private final KafkaEventStore store;

	private final @Nullable KafkaSubscriptions subscriptions;

	private final RecordSerializer serializer;

	private final PayloadConverter converter;

	private @Nullable Admin admin;

	KafkaStoreProbe(Map<String, Object> clientProperties, KafkaEventStore store,
			@Nullable KafkaSubscriptions subscriptions, RecordSerializer serializer, PayloadConverter converter) {
		this.clientProperties = Map.copyOf(clientProperties);
		this.store = Objects.requireNonNull(store, "store");
		this.subscriptions = subscriptions;
		this.serializer = Objects.requireNonNull(serializer, "serializer");
		this.converter = Objects.requireNonNull(converter, "converter");
	}

	/**
	 * Return the topics records are read back from: this service's, then those of the
	 * services it declares.
	 * @return the topics
	 */
	private List<String> topics() {
		Set<String> topics = new LinkedHashSet<>(this.store.topics().all());
		KafkaRouting routing = this.store.routing();
		if (routing != null) {
			for (ServiceDefinition service : routing.services().others()) {
				topics.addAll(routing.topicsOf(service).all());
			}
		}
		return List.copyOf(topics);
	}

	@Override
	public Object mark() {
		return ends(partitions(topics()));
	}

	@Override
	public List<StoredRecord> since(Object mark) {
		@SuppressWarnings("unchecked")
		Map<TopicPartition, Long> from = (Map<TopicPartition, Long>) mark;
		Map<TopicPartition, Long> to = ends(partitions(topics()));
		Map<String, Object> properties = new HashMap<>(this.clientProperties);
		properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
		List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			List<TopicPartition> wanted = to.entrySet()
				.stream()
				.filter((end) -> end.getValue() > from.getOrDefault(end.getKey(), 0L))
				.map(Map.Entry::getKey)
				.toList();
			if (wanted.isEmpty()) {
				return List.of();
			}
			consumer.assign(wanted);
			wanted.forEach((partition) -> consumer.seek(partition, from.getOrDefault(partition, 0L)));
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (wanted.stream().anyMatch((partition) -> consumer.position(partition) < to.get(partition))) {
				if (System.nanoTime() > deadline) {
					throw new DataAccessResourceFailureException(
							"Eventy could not read the records of " + wanted + " within " + TIMEOUT);
				}
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
					if (record.offset() < to.get(new TopicPartition(record.topic(), record.partition()))) {
						read.add(record);
					}
				}
			}
		}
		return read.stream()
			.sorted(Comparator.<ConsumerRecord<String, byte[]>>comparingLong(ConsumerRecord::timestamp)
				.thenComparing(ConsumerRecord::topic)
				.thenComparingInt(ConsumerRecord::partition)
				.thenComparingLong(ConsumerRecord::offset))
			.map(this::toStoredRecord)
			.toList();
	}

	@Override
	public List<String> busy() {
		KafkaSubscriptions running = this.subscriptions;
		if (running == null || !running.isRunning()) {
			return List.of();
		}
		List<KafkaSubscriptionStatus> status = running.status();
		List<String> busy = new ArrayList<>();
		Set<String> topics = new LinkedHashSet<>();
		for (KafkaSubscriptionStatus subscription : status) {
			if (!subscription.running() || subscription.assignedPartitions() == 0) {
				busy.add(subscription.subscription() + ": its consumer has no partition assigned yet");
			}
			topics.addAll(subscription.topics());
		}
		if (!busy.isEmpty()) {
			return busy;
		}
		List<TopicPartition> partitions = partitions(List.copyOf(topics));
		Map<TopicPartition, Long> ends = ends(partitions);
		Map<TopicPartition, Long> starts = offsets(partitions, OffsetSpec.earliest());
		for (KafkaSubscriptionStatus subscription : status) {
			Map<TopicPartition, OffsetAndMetadata> committed = get(
					admin().listConsumerGroupOffsets(subscription.groupId()).partitionsToOffsetAndMetadata());
			long lag = 0;
			for (TopicPartition partition : partitions) {
				if (subscription.topics().contains(partition.topic())) {
					OffsetAndMetadata offset = committed.get(partition);
					long handled = (offset != null) ? offset.offset() : starts.getOrDefault(partition, 0L);
					lag += Math.max(0, ends.getOrDefault(partition, 0L) - handled);
				}
			}
			if (lag > 0) {
				busy.add(subscription.subscription() + ": consumer group " + subscription.groupId() + " is " + lag
						+ " record(s) behind on " + subscription.topics());
			}
		}
		// the groups were asked one after the other: a record a handler emitted meanwhile
		// moved an end, and a group asked before may not have handled it
		if (busy.isEmpty() && !ends(partitions).equals(ends)) {
			busy.add("records were stored while the consumer groups were measured");
		}
		return busy;
	}

	/**
	 * Close the admin client.
	 */
	@Override
	public synchronized void close() {
		Admin closing = this.admin;
		this.admin = null;
		if (closing != null) {
			closing.close(Duration.ZERO);
		}
	}

	private StoredRecord toStoredRecord(ConsumerRecord<String, byte[]> record) {
		EventyRecord envelope = this.serializer.deserialize(record.value());
		Headers headers = record.headers();
		String streamType = header(headers, EventyKafkaHeaders.STREAM_TYPE);
		String streamId = header(headers, EventyKafkaHeaders.STREAM_ID);
		StreamId stream = (streamType != null && streamId != null) ? StreamId.of(streamType, streamId) : null;
		return new StoredRecord(envelope, stream, 0, record.offset(), header(headers, EventyKafkaHeaders.REQUEST_ID),
				header(headers, EventyKafkaHeaders.CAUSATION_ID), header(headers, EventyKafkaHeaders.TRACEPARENT),
				this.converter);
	}

	private static @Nullable String header(Headers headers, String name) {
		Header header = headers.lastHeader(name);
		return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	// a topic that does not exist yet (another service's, read once it exists) has no
	// partition to wait for
	private List<TopicPartition> partitions(List<String> topics) {
		List<TopicPartition> partitions = new ArrayList<>();
		admin().describeTopics(topics).topicNameValues().forEach((name, future) -> {
			try {
				get(future).partitions()
					.forEach((partition) -> partitions.add(new TopicPartition(name, partition.partition())));
			}
			catch (DataAccessResourceFailureException ex) {
				if (!(ex.getCause() instanceof ExecutionException failure
						&& failure.getCause() instanceof UnknownTopicOrPartitionException)) {
					throw ex;
				}
			}
		});
		return partitions;
	}

	private Map<TopicPartition, Long> ends(List<TopicPartition> partitions) {
		return offsets(partitions, OffsetSpec.latest());
	}

	private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) {
		Map<TopicPartition, OffsetSpec> request = new HashMap<>();
		partitions.forEach((partition) -> request.put(partition, spec));
		Map<TopicPartition, ListOffsetsResultInfo> result = get(
				admin().listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all());
		Map<TopicPartition, Long> offsets = new HashMap<>();
		result.forEach((partition, info) -> offsets.put(partition, info.offset()));
		return offsets;
	}

	private synchronized Admin admin() {
		Admin current = this.admin;
		if (current == null) {
			current = Admin.create(this.clientProperties);
			this.admin = current;
		}
		return current;
	}

	private static <T> T get(KafkaFuture<T> future) {
		try {
			return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DataAccessResourceFailureException("Interrupted while asking the Kafka broker", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new DataAccessResourceFailureException("The Kafka broker did not answer within " + TIMEOUT, ex);
		}
	}

}
