package io.eventy.store.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.eventy.handler.DeadLetter;
import io.eventy.handler.DeadLetters;
import io.eventy.serializer.RecordSerializationException;
import io.eventy.store.StoredRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.support.KafkaHeaders;

/**
 * The {@link DeadLetters} of subscriptions run by {@link KafkaSubscriptions}: the records
 * on the {@code <topic>.DLT} topics whose {@link EventyKafkaHeaders#DLT_SUBSCRIPTION}
 * header names the subscription.
 * <p>
 * How far a subscription's dead letters were re-driven is the committed offset of its
 * consumer group {@code <service>.<subscription>.dead-letters} on the dead-letter topics:
 * {@link #list(String)} reads from there, and {@link #redrive(String)} writes the dead
 * letters back to their original topics and moves that offset past them, in one Kafka
 * transaction. A re-driven record carries {@link EventyKafkaHeaders#REDRIVE_SUBSCRIPTION}
 * naming its subscription's consumer group, so only that subscription handles it again.
 * Unlike on PostgreSQL, re-driven records queue behind the records already on the topic:
 * a re-drive appends them at the end, so they are handled after records written since
 * they failed, even of the same key.
 * <p>
 * Dead letters of records read from another service's topic are on the dead-letter topic
 * of this service's events topic, and a re-drive writes them to this service's events
 * topic, never to the other service's topic
 * ({@link KafkaSubscriptionSettings#redriveTopicFor(String)}).
 * <p>
 * A dead letter whose value is not an Eventy record (a poison pill) cannot be listed as a
 * {@link StoredRecord} nor handled again: it stays on the dead-letter topic for Kafka
 * tools, and a re-drive passes over it with a warning.
 */
public final class KafkaDeadLetters implements DeadLetters {

	private static final Logger logger = LoggerFactory.getLogger(KafkaDeadLetters.class);

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

	private final KafkaEventStore store;

	private final Map<String, Object> consumerProperties;

	private final KafkaSubscriptionSettings settings;

	/**
	 * Create the dead letters.
	 * @param store the Kafka store, whose producers re-drive
	 * @param consumerProperties Kafka consumer properties, with bootstrap servers
	 * @param settings the subscriptions' topics and consumer groups
	 */
	public KafkaDeadLetters(KafkaEventStore store, Map<String, ?> consumerProperties,
			KafkaSubscriptionSettings settings) {
		this.store = Objects.requireNonNull(store, "store");
		this.consumerProperties = new HashMap<>(consumerProperties);
		this.settings = Objects.requireNonNull(settings, "settings");
	}

	@Override
	public List<DeadLetter> list(String subscription) {
		List<DeadLetter> letters = new ArrayList<>();
		for (Pending pending : read(subscription).letters()) {
			if (pending.letter() != null) {
				letters.add(pending.letter());
			}
		}
		letters.sort(Comparator.comparing((DeadLetter letter) -> letter.record().record().date())
			.thenComparing(DeadLetter::deadAt));
		return letters;
	}

	@Override
	public int redrive(String subscription) {
		Batch batch = read(subscription);
		if (batch.ends().isEmpty()) {
			return 0;
		}
		List<ProducerRecord<String, byte[]>> outgoing = new ArrayList<>();
		for (Pending pending : batch.letters()) {
			if (pending.letter() == null) {
				logger.warn(
						"Dead letter {}-{}@{} of subscription {} is not an Eventy record and cannot be "
								+ "re-driven; it stays on the dead-letter topic",
						pending.source().topic(), pending.source().partition(), pending.source().offset(),
						subscription);
				continue;
			}
			outgoing.add(redriven(pending.source(), subscription));
		}
		Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
		batch.ends().forEach((partition, end) -> offsets.put(partition, new OffsetAndMetadata(end)));
		this.store.template().executeInTransaction((operations) -> {
			outgoing.forEach(operations::send);
			operations.sendOffsetsToTransaction(offsets, batch.group());
			return null;
		});
		logger.info("Re-drove {} dead letters of subscription {}", outgoing.size(), subscription);
		return outgoing.size();
	}

	private ProducerRecord<String, byte[]> redriven(ConsumerRecord<String, byte[]> deadLetter, String subscription) {
		String original = KafkaHeaderCodec.get(deadLetter.headers(), KafkaHeaders.DLT_ORIGINAL_TOPIC);
		if (original == null) {
			original = deadLetter.topic()
				.substring(0, deadLetter.topic().length() - KafkaTopics.DEAD_LETTER_SUFFIX.length());
		}
		String topic = this.settings.redriveTopicFor(original);
		Headers headers = new RecordHeaders();
		for (Header header : deadLetter.headers()) {
			String name = header.key();
			if (!name.startsWith("kafka_dlt") && !name.startsWith("eventy_dlt")
					&& !name.equals(KafkaHeaders.DELIVERY_ATTEMPT)) {
				headers.add(header);
			}
		}
		KafkaHeaderCodec.put(headers, EventyKafkaHeaders.REDRIVE_SUBSCRIPTION, this.settings.groupId(subscription));
		return new ProducerRecord<>(topic, null, deadLetter.key(), deadLetter.value(), headers);
	}

	private Batch read(String subscription) {
		Objects.requireNonNull(subscription, "subscription");
		List<Pending> letters = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = consumer(subscription)) {
			List<TopicPartition> partitions = new ArrayList<>();
			for (String topic : this.settings.deadLetterTopics()) {
				List<PartitionInfo> infos = consumer.partitionsFor(topic, READ_TIMEOUT);
				if (infos != null) {
					infos.forEach((info) -> partitions.add(new TopicPartition(info.topic(), info.partition())));
				}
			}
			if (partitions.isEmpty()) {
				return new Batch(List.of(), Map.of(), consumer.groupMetadata());
			}
			consumer.assign(partitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
			Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions), READ_TIMEOUT);
			for (TopicPartition partition : partitions) {
				OffsetAndMetadata offset = committed.get(partition);
				if (offset != null) {
					consumer.seek(partition, offset.offset());
				}
				else {
					consumer.seekToBeginning(List.of(partition));
				}
			}
			long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
			while (!reachedEnds(consumer, ends)) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("Could not read the dead letters of subscription " + subscription
							+ " within " + READ_TIMEOUT);
				}
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))
							&& subscription
								.equals(KafkaHeaderCodec.get(record.headers(), EventyKafkaHeaders.DLT_SUBSCRIPTION))) {
						letters.add(new Pending(record, letter(record, subscription)));
					}
				}
			}
			return new Batch(letters, ends, consumer.groupMetadata());
		}
	}

	private static boolean reachedEnds(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> ends) {
		return ends.entrySet().stream().allMatch((end) -> consumer.position(end.getKey()) >= end.getValue());
	}

	private @Nullable DeadLetter letter(ConsumerRecord<String, byte[]> record, String subscription) {
		StoredRecord stored;
		try {
			stored = this.store.mapper().toStoredRecord(record);
		}
		catch (RecordSerializationException ex) {
			return null;
		}
		Headers headers = record.headers();
		String error = KafkaHeaderCodec.get(headers, EventyKafkaHeaders.DLT_ERROR);
		return new DeadLetter(stored, subscription,
				parseInt(KafkaHeaderCodec.get(headers, EventyKafkaHeaders.DLT_ATTEMPTS)),
				(error != null) ? error : "unknown", Instant.ofEpochMilli(
						parseLong(KafkaHeaderCodec.get(headers, EventyKafkaHeaders.DLT_DEAD_AT), record.timestamp())));
	}

	private KafkaConsumer<String, byte[]> consumer(String subscription) {
		Map<String, Object> configs = new HashMap<>(this.consumerProperties);
		configs.put(ConsumerConfig.GROUP_ID_CONFIG, this.settings.deadLetterGroupId(subscription));
		configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		configs.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
		configs.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
		return new KafkaConsumer<>(configs, new StringDeserializer(), new ByteArrayDeserializer());
	}

	private static int parseInt(@Nullable String value) {
		try {
			return (value != null) ? Integer.parseInt(value) : 1;
		}
		catch (NumberFormatException ex) {
			return 1;
		}
	}

	private static long parseLong(@Nullable String value, long fallback) {
		try {
			return (value != null) ? Long.parseLong(value) : fallback;
		}
		catch (NumberFormatException ex) {
			return fallback;
		}
	}

	private record Pending(ConsumerRecord<String, byte[]> source, @Nullable DeadLetter letter) {
	}

	private record Batch(List<Pending> letters, Map<TopicPartition, Long> ends, ConsumerGroupMetadata group) {
	}

}
