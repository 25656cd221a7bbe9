package io.eventy.store.kafka;

import java.time.Clock;

import io.eventy.handler.FailureDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

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

	static DeadLetterPublishingRecoverer create(KafkaOperations<String, byte[]> operations,
			SubscriptionListener listener, KafkaSubscriptionSettings settings, Clock clock) {
		DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(operations,
				(record, ex) -> new TopicPartition(settings.deadLetterTopicFor(record.topic()), -1));
		recoverer.setHeadersFunction((record, ex) -> headers(record, ex, listener, clock));
		return recoverer;
	}

	private static Headers headers(ConsumerRecord<?, ?> record, Exception ex, SubscriptionListener listener,
			Clock clock) {
		Throwable cause = SubscriptionRetryListener.cause(ex);
		Headers headers = new RecordHeaders();
		KafkaHeaderCodec.put(headers, EventyKafkaHeaders.DLT_ERROR, FailureDescription.of(cause));
		KafkaHeaderCodec.put(headers, EventyKafkaHeaders.DLT_SUBSCRIPTION, listener.endpoint().subscription());
		KafkaHeaderCodec.put(headers, EventyKafkaHeaders.DLT_ATTEMPTS, Integer.toString(listener.attempts(record)));
		KafkaHeaderCodec.put(headers, EventyKafkaHeaders.DLT_DEAD_AT, Long.toString(clock.millis()));
		return headers;
	}

}
