package io.eventy.store.kafka;

import java.io.IOException;
import java.util.Objects;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.eventy.context.EventyContext;
import io.eventy.context.EventyIds;
import io.eventy.record.EventyRecord;
import io.eventy.record.PayloadConverter;
import io.eventy.serializer.RecordSerializer;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/**
 * Maps records to Kafka records and back: the value is the serialized envelope, the key
 * the partition key, store metadata goes in {@link EventyKafkaHeaders}.
 * <p>
 * Kafka keeps no stream versions and no global order, so a {@link StoredRecord} read from
 * or written to Kafka has stream version {@code 0} and its offset in its topic partition
 * as position.
 */
final class KafkaRecordMapper {

	private static final JsonFactory JSON = new JsonFactory();

	private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

	private final RecordSerializer serializer;

	private final PayloadConverter converter;

	KafkaRecordMapper(RecordSerializer serializer, PayloadConverter converter) {
		this.serializer = Objects.requireNonNull(serializer, "serializer");
		this.converter = Objects.requireNonNull(converter, "converter");
	}

	RecordSerializer serializer() {
		return this.serializer;
	}

	/**
	 * Build the Kafka record of an envelope.
	 * @param topic the topic
	 * @param key the Kafka key, or {@code null}
	 * @param record the envelope
	 * @param stream the stream, or {@code null} for a published record
	 * @param context the context the record is written in, or {@code null}
	 * @return the Kafka record
	 */
	ProducerRecord<String, byte[]> toProducerRecord(String topic, @Nullable String key, EventyRecord record,
			@Nullable StreamId stream, @Nullable EventyContext context) {
		Headers headers = new RecordHeaders();
		if (stream != null) {
			KafkaHeaderCodec.put(headers, EventyKafkaHeaders.STREAM_TYPE, stream.type());
			KafkaHeaderCodec.put(headers, EventyKafkaHeaders.STREAM_ID, stream.id());
		}
		if (context != null) {
			KafkaHeaderCodec.put(headers, EventyKafkaHeaders.REQUEST_ID, context.requestId());
			KafkaHeaderCodec.put(headers, EventyKafkaHeaders.CAUSATION_ID, context.causationId());
			KafkaHeaderCodec.put(headers, EventyKafkaHeaders.TRACEPARENT, context.traceparent());
		}
		return new ProducerRecord<>(topic, null, record.date().toEpochMilli(), key, this.serializer.serialize(record),
				headers);
	}

	/**
	 * Describe an envelope the broker acknowledged.
	 * @param record the envelope
	 * @param stream the stream, or {@code null}
	 * @param offset the offset the broker gave it
	 * @param context the context it was written in, or {@code null}
	 * @return the stored record
	 */
	StoredRecord stored(EventyRecord record, @Nullable StreamId stream, long offset, @Nullable EventyContext context) {
		return new StoredRecord(record, stream, 0, offset, (context != null) ? context.requestId() : null,
				(context != null) ? context.causationId() : null, (context != null) ? context.traceparent() : null,
				this.converter);
	}

	/**
	 * Read a Kafka record.
	 * @param record the consumed record
	 * @return the stored record
	 * @throws io.eventy.serializer.RecordSerializationException if the value is not an
	 * Eventy record
	 */
	StoredRecord toStoredRecord(ConsumerRecord<String, byte[]> record) {
		EventyRecord envelope = this.serializer.deserialize(valueOf(record));
		Headers headers = record.headers();
		return new StoredRecord(envelope, stream(headers), 0, record.offset(),
				EventyIds.validOrNull(KafkaHeaderCodec.get(headers, EventyKafkaHeaders.REQUEST_ID)),
				EventyIds.validOrNull(KafkaHeaderCodec.get(headers, EventyKafkaHeaders.CAUSATION_ID)),
				traceparent(KafkaHeaderCodec.get(headers, EventyKafkaHeaders.TRACEPARENT)), this.converter);
	}

	/**
	 * Return the ids a record that is no Eventy record still carries, so that what is
	 * logged about it carries them too: its request id header, and the
	 * {@code correlation_id} its value has when it starts as a JSON object that has one.
	 * @param record the consumed record, which {@link #toStoredRecord} cannot read
	 * @return its context, or {@code null} when it carries neither id
	 */
	@Nullable EventyContext contextOfUnreadable(ConsumerRecord<String, byte[]> record) {
		String requestId = EventyIds.validOrNull(KafkaHeaderCodec.get(record.headers(), EventyKafkaHeaders.REQUEST_ID));
		String correlationId = EventyIds.validOrNull(correlationId(record.value()));
		if (requestId == null && correlationId == null) {
			return null;
		}
		return EventyContext.ofRecord(correlationId, requestId, null);
	}

	/**
	 * Read the top-level {@code correlation_id} of a value, as far as the value can be
	 * read: the envelope around it may be broken.
	 */
	private static @Nullable String correlationId(byte @Nullable [] value) {
		if (value == null || value.length == 0) {
			return null;
		}
		try (JsonParser parser = JSON.createParser(value)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			while (parser.nextToken() == JsonToken.FIELD_NAME) {
				String field = parser.currentName();
				JsonToken token = parser.nextToken();
				if ("correlation_id".equals(field)) {
					return (token == JsonToken.VALUE_STRING) ? parser.getText() : null;
				}
				parser.skipChildren();
			}
			return null;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	private static byte[] valueOf(ConsumerRecord<String, byte[]> record) {
		byte[] value = record.value();
		return (value != null) ? value : new byte[0];
	}

	private static @Nullable StreamId stream(Headers headers) {
		String type = KafkaHeaderCodec.get(headers, EventyKafkaHeaders.STREAM_TYPE);
		String id = KafkaHeaderCodec.get(headers, EventyKafkaHeaders.STREAM_ID);
		if (type == null || id == null) {
			return null;
		}
		try {
			return StreamId.of(type, id);
		}
		catch (IllegalArgumentException ex) {
			// a header another producer wrote; the record stays readable, without a
			// stream
			return null;
		}
	}

	private static @Nullable String traceparent(@Nullable String value) {
		return (value != null && TRACEPARENT.matcher(value).matches()) ? value : null;
	}

}
