package io.eventy.store.kafka;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.apache.kafka.common.KafkaException;
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
 * A dead letter whose value is not an Eventy record (a poison pill) is listed too, with
 * its value as {@link DeadLetter#json()} and the reason it cannot be read, and a re-drive
 * writes it back like any other: its subscription gives up on it again at once unless it
 * can read it by then. A dead letter whose value was cut to fit a Kafka request
 * ({@link EventyKafkaHeaders#DLT_TRUNCATED}, its key dropped too when that alone did not
 * fit) is listed as unreadable; a re-drive writes back the whole original record, key and
 * value, read from where it is on its topic. When the topic no longer holds it, or it
 * does not fit a request of the store's producer, the dead letter stays: a re-drive
 * copies it as it is to the end of its dead-letter topic, with a warning, and does not
 * count it.
 */
public final class KafkaDeadLetters implements DeadLetters {

	private static final Logger logger = LoggerFactory.getLogger(KafkaDeadLetters.class);

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

	private static final Comparator<Pending> ORDER = Comparator.comparing(Pending::recorded)
		.thenComparing((pending) -> pending.letter().deadAt());

	private static final ObjectMapper objectMapper = new ObjectMapper();

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
		return read(subscription).letters().stream().sorted(ORDER).map(Pending::letter).toList();
	}

	@Override
	public int redrive(String subscription) {
		Batch batch = read(subscription);
		if (batch.ends().isEmpty()) {
			return 0;
		}
		List<ProducerRecord<String, byte[]>> outgoing = new ArrayList<>();
		int redriven = 0;
		for (Pending pending : batch.letters()) {
			ProducerRecord<String, byte[]> record = redriven(pending, subscription);
			if (record != null) {
				outgoing.add(record);
				redriven++;
			}
			else {
				outgoing.add(kept(pending.source()));
			}
		}
		commit(batch, outgoing);
		logger.info("Re-drove {} dead letters of subscription {}", redriven, subscription);
		return redriven;
	}

	/**
	 * Return the record that re-drives a dead letter.
	 * @return the record, or {@code null} when the dead letter cannot be re-driven and
	 * stays
	 */
	private @Nullable ProducerRecord<String, byte[]> redriven(Pending pending, String subscription) {
		ConsumerRecord<String, byte[]> deadLetter = pending.source();
		DeadLetter letter = pending.letter();
		if (deadLetter.headers().lastHeader(EventyKafkaHeaders.DLT_TRUNCATED) == null) {
			if (!letter.readable()) {
				logger.warn("Dead letter {} of subscription {} is re-driven although it cannot be read: {}",
						letter.id(), subscription, letter.unreadable());
			}
			return redriven(deadLetter, deadLetter.key(), deadLetter.value(), subscription);
		}
		ConsumerRecord<String, byte[]> original = originalRecord(deadLetter, subscription);
		if (original == null) {
			logger.warn("Dead letter {} of subscription {} stays a dead letter: its value was cut and its topic no "
					+ "longer holds the whole record", letter.id(), subscription);
			return null;
		}
		ProducerRecord<String, byte[]> whole = redriven(deadLetter, original.key(), original.value(), subscription);
		if (!DeadLetterRecoverer.fits(whole, this.store.template())) {
			logger.warn(
					"Dead letter {} of subscription {} stays a dead letter: its whole record of {} bytes does not "
							+ "fit a request of the store's producer (max.request.size)",
					letter.id(), subscription, (original.value() != null) ? original.value().length : 0);
			return null;
		}
		return whole;
	}

	/**
	 * Return the record that keeps a dead letter that cannot be re-driven on its
	 * dead-letter topic, as it is, past the offset a re-drive moves to.
	 */
	private static ProducerRecord<String, byte[]> kept(ConsumerRecord<String, byte[]> deadLetter) {
		return new ProducerRecord<>(deadLetter.topic(), null, deadLetter.timestamp(), deadLetter.key(),
				deadLetter.value(), deadLetter.headers());
	}

	private ProducerRecord<String, byte[]> redriven(ConsumerRecord<String, byte[]> deadLetter, @Nullable String key,
			byte @Nullable [] value, String subscription) {
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
		return new ProducerRecord<>(topic, null, key, value, headers);
	}

	private Batch read(String subscription) {
		return read(subscription, true);
	}

	/**
	 * Read the dead letters of a subscription, past the committed offset of its
	 * dead-letter group.
	 * @param decode whether to read their records, or only note them
	 */
	private Batch read(String subscription, boolean decode) {
		Objects.requireNonNull(subscription, "subscription");
		List<Pending> letters = new ArrayList<>();
		int count = 0;
		try (KafkaConsumer<String, byte[]> consumer = consumer(subscription)) {
			List<TopicPartition> partitions = new ArrayList<>();
			for (String topic : this.settings.deadLetterTopics()) {
				List<PartitionInfo> infos = consumer.partitionsFor(topic, READ_TIMEOUT);
				if (infos != null) {
					infos.forEach((info) -> partitions.add(new TopicPartition(info.topic(), info.partition())));
				}
			}
			if (partitions.isEmpty()) {
				return new Batch(List.of(), 0, Map.of(), consumer.groupMetadata());
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
						count++;
						if (decode) {
							letters.add(pending(record, subscription));
						}
					}
				}
			}
			return new Batch(letters, count, ends, consumer.groupMetadata());
		}
	}

	private static boolean reachedEnds(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> ends) {
		return ends.entrySet().stream().allMatch((end) -> consumer.position(end.getKey()) >= end.getValue());
	}

	private Pending pending(ConsumerRecord<String, byte[]> record, String subscription) {
		Headers headers = record.headers();
		String id = record.topic() + "-" + record.partition() + "@" + record.offset();
		String json = (record.value() != null) ? new String(record.value(), StandardCharsets.UTF_8) : "";
		String error = KafkaHeaderCodec.get(headers, EventyKafkaHeaders.DLT_ERROR);
		int attempts = parseInt(KafkaHeaderCodec.get(headers, EventyKafkaHeaders.DLT_ATTEMPTS));
		String lastError = (error != null) ? error : "unknown";
		Instant deadAt = Instant
			.ofEpochMilli(parseLong(KafkaHeaderCodec.get(headers, EventyKafkaHeaders.DLT_DEAD_AT), record.timestamp()));
		String truncated = KafkaHeaderCodec.get(headers, EventyKafkaHeaders.DLT_TRUNCATED);
		String unreadable;
		if (truncated != null) {
			Original original = Original.of(record);
			int kept = (record.value() != null) ? record.value().length : 0;
			String cut = (Integer.toString(kept).equals(truncated)) ? "holds its whole value but not the whole record"
					: "holds the first " + kept + " of its " + truncated + " bytes";
			unreadable = "Its dead-letter copy " + cut + ", cut to fit a Kafka request; the whole record is "
					+ ((original != null) ? "at offset " + original.offset() + " of " + original.partition()
							: "on its topic");
		}
		else {
			try {
				StoredRecord stored = this.store.mapper().toStoredRecord(record);
				DeadLetter letter = new DeadLetter(subscription, id, null, null, stored, null, json, attempts,
						lastError, deadAt);
				return new Pending(record, letter, stored.record().date());
			}
			catch (RecordSerializationException ex) {
				unreadable = String.valueOf(ex.getMessage());
			}
			catch (RuntimeException ex) {
				unreadable = ex.toString();
			}
		}
		JsonNode envelope = envelope(record.value());
		DeadLetter letter = new DeadLetter(subscription, id, uuid(envelope), qualifiedName(envelope), null, unreadable,
				json, attempts, lastError, deadAt);
		return new Pending(record, letter, Instant.ofEpochMilli(record.timestamp()));
	}

	/**
	 * Read as much of an unreadable value as shows which record it is meant to be.
	 */
	private static @Nullable JsonNode envelope(byte @Nullable [] value) {
		if (value == null || value.length == 0) {
			return null;
		}
		try {
			JsonNode envelope = objectMapper.readTree(value);
			return (envelope != null && envelope.isObject()) ? envelope : null;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	private static @Nullable UUID uuid(@Nullable JsonNode envelope) {
		JsonNode uuid = (envelope != null) ? envelope.get("uuid") : null;
		if (uuid == null || !uuid.isTextual()) {
			return null;
		}
		try {
			return UUID.fromString(uuid.asText());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static @Nullable String qualifiedName(@Nullable JsonNode envelope) {
		JsonNode namespace = (envelope != null) ? envelope.get("namespace") : null;
		JsonNode name = (envelope != null) ? envelope.get("name") : null;
		return (namespace != null && namespace.isTextual() && name != null && name.isTextual())
				? namespace.asText() + ":" + name.asText() : null;
	}

	/**
	 * Read the whole record whose dead letter holds it cut (its value, and its key when
	 * that was too large as well), from where it is on its topic.
	 * @return the record, or {@code null} when the topic no longer holds it
	 */
	private @Nullable ConsumerRecord<String, byte[]> originalRecord(ConsumerRecord<String, byte[]> deadLetter,
			String subscription) {
		Original original = Original.of(deadLetter);
		if (original == null) {
			return null;
		}
		try (KafkaConsumer<String, byte[]> consumer = consumer(subscription)) {
			consumer.assign(List.of(original.partition()));
			consumer.seek(original.partition(), original.offset());
			long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
			while (System.nanoTime() < deadline) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					if (record.offset() == original.offset()) {
						return record;
					}
					if (record.offset() > original.offset()) {
						return null;
					}
				}
				if (consumer.position(original.partition()) > original.offset()) {
					return null;
				}
			}
			return null;
		}
		catch (KafkaException ex) {
			logger.warn("Could not read the original of dead letter {}-{}@{}", deadLetter.topic(),
					deadLetter.partition(), deadLetter.offset(), ex);
			return null;
		}
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

	/**
	 * A dead letter as read from its topic.
	 *
	 * @param source the dead-letter copy
	 * @param letter the dead letter
	 * @param recorded when its record was written, which lists it
	 */
	private record Pending(ConsumerRecord<String, byte[]> source, DeadLetter letter, Instant recorded) {
	}

	/**
	 * Where the record of a dead letter is on its own topic, from the headers Spring
	 * Kafka's recoverer writes.
	 *
	 * @param partition its topic partition
	 * @param offset its offset
	 */
	private record Original(TopicPartition partition, long offset) {

		static @Nullable Original of(ConsumerRecord<String, byte[]> deadLetter) {
			Headers headers = deadLetter.headers();
			String topic = KafkaHeaderCodec.get(headers, KafkaHeaders.DLT_ORIGINAL_TOPIC);
			Header partition = headers.lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION);
			Header offset = headers.lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET);
			if (topic == null || partition == null || partition.value() == null || partition.value().length != 4
					|| offset == null || offset.value() == null || offset.value().length != 8) {
				return null;
			}
			return new Original(new TopicPartition(topic, ByteBuffer.wrap(partition.value()).getInt()),
					ByteBuffer.wrap(offset.value()).getLong());
		}

	}

	private record Batch(List<Pending> letters, int count, Map<TopicPartition, Long> ends,
			ConsumerGroupMetadata group) {
	}

	/**
	 * Count a subscription's dead letters from their headers, without reading their
	 * records.
	 */
	@Override
	public long count(String subscription) {
		return read(subscription, false).count();
	}

	/**
	 * Put one dead letter back in line. As the dead letters of a subscription are what
	 * lies past the committed offset of its dead-letter consumer group, the others are
	 * copied, as they are, to the end of their dead-letter topics, and the offset moves
	 * past all of them, in the same Kafka transaction as the re-driven record: they keep
	 * their order, with new ids.
	 */
	@Override
	public boolean redrive(String subscription, UUID uuid) {
		return rewrite(subscription, uuid, true);
	}

	/**
	 * Drop one dead letter for good. The others are copied to the end of their
	 * dead-letter topics as {@link #redrive(String, UUID)} does; the dead-letter copy
	 * stays on its topic until the topic's retention removes it, past the offset that
	 * makes it done.
	 */
	@Override
	public boolean discard(String subscription, UUID uuid) {
		return rewrite(subscription, uuid, false);
	}

	/**
	 * Drop every dead letter of a subscription for good: the committed offset of its
	 * dead-letter consumer group moves past them.
	 */
	@Override
	public int discard(String subscription) {
		Batch batch = read(subscription, false);
		if (batch.ends().isEmpty()) {
			return 0;
		}
		commit(batch, List.of());
		logger.info("Discarded {} dead letters of subscription {}", batch.count(), subscription);
		return batch.count();
	}

	private boolean rewrite(String subscription, UUID uuid, boolean redrive) {
		Objects.requireNonNull(uuid, "uuid");
		Batch batch = read(subscription);
		if (batch.letters().stream().noneMatch((pending) -> uuid.equals(pending.letter().uuid()))) {
			return false;
		}
		List<ProducerRecord<String, byte[]>> outgoing = new ArrayList<>();
		boolean done = false;
		for (Pending pending : batch.letters()) {
			if (!uuid.equals(pending.letter().uuid())) {
				outgoing.add(kept(pending.source()));
			}
			else if (redrive) {
				ProducerRecord<String, byte[]> record = redriven(pending, subscription);
				outgoing.add((record != null) ? record : kept(pending.source()));
				done |= record != null;
			}
			else {
				done = true;
			}
		}
		commit(batch, outgoing);
		logger.info("{} dead letter of record {} of subscription {}", redrive ? "Re-drove" : "Discarded", uuid,
				subscription);
		return done;
	}

	private void commit(Batch batch, List<ProducerRecord<String, byte[]>> outgoing) {
		Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
		batch.ends().forEach((partition, end) -> offsets.put(partition, new OffsetAndMetadata(end)));
		this.store.template().executeInTransaction((operations) -> {
			outgoing.forEach(operations::send);
			operations.sendOffsetsToTransaction(offsets, batch.group());
			return null;
		});
	}

}
