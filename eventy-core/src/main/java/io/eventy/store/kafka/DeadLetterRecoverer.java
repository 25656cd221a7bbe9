package io.eventy.store.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.function.BiFunction;

import io.eventy.handler.HandlerDispatcher;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Builds the recoverer that moves a record a subscription gave up on to
 * {@code <topic>.DLT}, or for a record of another service's topic to the dead-letter
 * topic of this service's events topic
 * ({@link KafkaSubscriptionSettings#deadLetterTopicFor(String)}): the original key, value
 * and headers, plus Spring Kafka's {@code kafka_dlt-*} headers (original topic,
 * partition, offset, exception) and Eventy's {@link EventyKafkaHeaders#DLT_ERROR error},
 * {@link EventyKafkaHeaders#DLT_SUBSCRIPTION subscription},
 * {@link EventyKafkaHeaders#DLT_ATTEMPTS attempts} and
 * {@link EventyKafkaHeaders#DLT_DEAD_AT time}. The partition is left to the producer, so
 * a dead-letter topic may have any number of partitions.
 */
final class DeadLetterRecoverer {

	private DeadLetterRecoverer() {
	}

	private static final Logger fitLogger = LoggerFactory.getLogger(DeadLetterRecoverer.class);

	/**
	 * Room left in a request for the record batch's own bytes and the record's framing.
	 */
	private static final int OVERHEAD = 1024;

	static DeadLetterPublishingRecoverer create(KafkaOperations<String, byte[]> operations,
			SubscriptionListener listener, KafkaSubscriptionSettings settings, Clock clock) {
		DeadLetterPublishingRecoverer recoverer = new FittingRecoverer(operations,
				(record, ex) -> new TopicPartition(settings.deadLetterTopicFor(record.topic()), -1),
				maxRequestSize(operations));
		recoverer.setHeadersFunction((record, ex) -> headers(record, ex, listener, clock));
		return recoverer;
	}

	/**
	 * Return whether a producer can send a record alone: its bytes and an upper bound of
	 * their framing (a record batch's header, the record's and each header's lengths) fit
	 * the producer's {@code max.request.size}.
	 * @param record the record
	 * @param operations the producer's operations
	 * @return whether the producer can send it
	 */
	static boolean fits(ProducerRecord<?, ?> record, KafkaOperations<?, ?> operations) {
		int headers = record.headers().toArray().length;
		return size(record) + 128 + 10L * headers <= maxRequestSize(operations);
	}

	private static int maxRequestSize(KafkaOperations<?, ?> operations) {
		Object configured = operations.getProducerFactory()
			.getConfigurationProperties()
			.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
		if (configured instanceof Number number) {
			return number.intValue();
		}
		if (configured instanceof String text && !text.isBlank()) {
			return Integer.parseInt(text.strip());
		}
		return 1024 * 1024;
	}

	private static long size(ProducerRecord<?, ?> record) {
		long size = length(record.key()) + length(record.value());
		for (Header header : record.headers()) {
			size += header.key().getBytes(StandardCharsets.UTF_8).length + length(header.value());
		}
		return size;
	}

	private static long length(@Nullable Object value) {
		if (value instanceof byte[] bytes) {
			return bytes.length;
		}
		return (value != null) ? value.toString().getBytes(StandardCharsets.UTF_8).length : 0;
	}

	/**
	 * Makes each dead letter fit a Kafka request, so that a record the broker took is
	 * never stuck for want of room for its copy (Spring Kafka would seek back to it and
	 * try again forever): without the stack trace first, then with its value cut to what
	 * fits (the {@link EventyKafkaHeaders#DLT_TRUNCATED} header says how long it was),
	 * then with only the dead-letter headers, at last without a key that is too large and
	 * with the failure's message cut (leaving room for the value).
	 */
	private static final class FittingRecoverer extends DeadLetterPublishingRecoverer {

		private static final String[] STACK_TRACES = { KafkaHeaders.DLT_EXCEPTION_STACKTRACE,
				KafkaHeaders.DLT_KEY_EXCEPTION_STACKTRACE };

		private final int maxSize;

		FittingRecoverer(KafkaOperations<String, byte[]> operations,
				BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> destination, int maxRequestSize) {
			super(operations, destination);
			this.maxSize = Math.max(maxRequestSize - OVERHEAD, OVERHEAD);
		}

		@Override
		protected ProducerRecord<Object, Object> createProducerRecord(ConsumerRecord<?, ?> record,
				TopicPartition topicPartition, Headers headers, byte @Nullable [] key, byte @Nullable [] value) {
			ProducerRecord<Object, Object> copy = super.createProducerRecord(record, topicPartition, headers, key,
					value);
			long size = size(copy);
			if (size <= this.maxSize) {
				return copy;
			}
			for (String stackTrace : STACK_TRACES) {
				copy.headers().remove(stackTrace);
			}
			if (size(copy) <= this.maxSize) {
				fitLogger.warn(
						"Dead letter of record at offset {} of {}-{} sent without its stack trace: with it, "
								+ "{} bytes would not fit a request of {}",
						record.offset(), record.topic(), record.partition(), size, this.maxSize + OVERHEAD);
				return copy;
			}
			return truncated(record, copy, size);
		}

		private ProducerRecord<Object, Object> truncated(ConsumerRecord<?, ?> record,
				ProducerRecord<Object, Object> copy, long size) {
			byte[] original = (copy.value() instanceof byte[] bytes) ? bytes : new byte[0];
			Headers headers = new RecordHeaders();
			copy.headers().forEach(headers::add);
			KafkaHeaderCodec.put(headers, EventyKafkaHeaders.DLT_TRUNCATED, Integer.toString(original.length));
			ProducerRecord<Object, Object> withoutValue = new ProducerRecord<>(copy.topic(), copy.partition(),
					copy.timestamp(), copy.key(), new byte[0], headers);
			long room = this.maxSize - size(withoutValue);
			if (room < 0) {
				// the record's own headers are too large: only the dead letter's are kept
				Headers deadLetterHeaders = new RecordHeaders();
				for (Header header : headers) {
					if (header.key().startsWith("kafka_dlt-") || header.key().startsWith("eventy_dlt_")) {
						deadLetterHeaders.add(header);
					}
				}
				withoutValue = new ProducerRecord<>(copy.topic(), copy.partition(), copy.timestamp(), copy.key(),
						new byte[0], deadLetterHeaders);
				long excess = size(withoutValue) - this.maxSize;
				if (excess > 0 && length(copy.key()) >= excess) {
					// its key is too large as well: the copy goes without it (a re-drive
					// takes the whole record, key and value, from its topic)
					withoutValue = new ProducerRecord<>(copy.topic(), copy.partition(), copy.timestamp(), null,
							new byte[0], deadLetterHeaders);
				}
				excess = size(withoutValue) - this.maxSize;
				if (excess > 0) {
					// the failure's message is too large (Eventy's error header is
					// bounded and says what failed): it is cut, leaving room for the
					// value
					excess += original.length;
					withoutValue = new ProducerRecord<>(copy.topic(), copy.partition(), copy.timestamp(),
							withoutValue.key(), new byte[0], cutExceptionMessage(withoutValue.headers(), excess));
				}
				room = Math.max(this.maxSize - size(withoutValue), 0);
			}
			byte[] cut = Arrays.copyOf(original, (int) Math.min(original.length, room));
			fitLogger.warn(
					"Dead letter of record at offset {} of {}-{} sent with its value cut to {} of {} bytes{}: "
							+ "{} bytes would not fit a request of {}; the whole record stays on its topic",
					record.offset(), record.topic(), record.partition(), cut.length, original.length,
					(withoutValue.key() == null && copy.key() != null) ? " and without its key" : "", size,
					this.maxSize + OVERHEAD);
			return new ProducerRecord<>(withoutValue.topic(), withoutValue.partition(), withoutValue.timestamp(),
					withoutValue.key(), cut, withoutValue.headers());
		}

		private static Headers cutExceptionMessage(Headers headers, long excess) {
			Header message = headers.lastHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE);
			if (message == null || message.value() == null) {
				return headers;
			}
			byte[] cut = Arrays.copyOf(message.value(), (int) Math.max(message.value().length - excess, 0));
			Headers shorter = new RecordHeaders();
			headers.forEach(shorter::add);
			shorter.remove(KafkaHeaders.DLT_EXCEPTION_MESSAGE);
			shorter.add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, cut);
			return shorter;
		}

	}

	private static Headers headers(ConsumerRecord<?, ?> record, Exception ex, SubscriptionListener listener,
			Clock clock) {
		Throwable cause = SubscriptionRetryListener.cause(ex);
		Headers headers = new RecordHeaders();
		KafkaHeaderCodec.put(headers, EventyKafkaHeaders.DLT_ERROR, HandlerDispatcher.describe(cause));
		KafkaHeaderCodec.put(headers, EventyKafkaHeaders.DLT_SUBSCRIPTION, listener.endpoint().subscription());
		KafkaHeaderCodec.put(headers, EventyKafkaHeaders.DLT_ATTEMPTS, Integer.toString(listener.attempts(record)));
		KafkaHeaderCodec.put(headers, EventyKafkaHeaders.DLT_DEAD_AT, Long.toString(clock.millis()));
		return headers;
	}

}
