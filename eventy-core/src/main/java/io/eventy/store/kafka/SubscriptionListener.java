package io.eventy.store.kafka;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.eventy.handler.Guarantee;
import io.eventy.handler.HandlerDispatcher;
import io.eventy.handler.HandlerEndpoint;
import io.eventy.handler.HandlerInvocationException;
import io.eventy.handler.HandlerObserver;
import io.eventy.store.StoredRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.listener.AcknowledgingMessageListener;
import org.springframework.kafka.support.Acknowledgment;

/**
 * Hands the records of a subscription's topics to its {@link HandlerEndpoint}: skips
 * records re-driven for another consumer group (another subscription, or a subscription
 * of another service that reads this topic) and records the endpoint does not select,
 * decodes the rest (a value that is no Eventy record throws, and the error handler
 * dead-letters it without retrying), and counts attempts for the dead-letter headers.
 * <p>
 * For {@link Guarantee#AT_MOST_ONCE} the record's offset is committed before the handler
 * runs. A failed request whose handler returns a response is answered with an error
 * RESPONSE instead of being retried: the {@link HandlerDispatcher} calls the handler, as
 * on PostgreSQL, and a failure it returns is thrown for the container's error handler.
 */
final class SubscriptionListener implements AcknowledgingMessageListener<String, byte[]> {

	private static final Logger logger = LoggerFactory.getLogger(SubscriptionListener.class);

	private final HandlerEndpoint endpoint;

	private final RecordScopes scopes;

	private final String groupId;

	private final HandlerObserver observer;

	private final HandlerDispatcher dispatcher;

	private final SubscriptionActivity activity;

	private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

	SubscriptionListener(HandlerEndpoint endpoint, RecordScopes scopes, String groupId, HandlerObserver observer,
			SubscriptionActivity activity) {
		this.endpoint = endpoint;
		this.scopes = scopes;
		this.groupId = groupId;
		this.observer = observer;
		this.activity = activity;
		this.dispatcher = new HandlerDispatcher(endpoint, observer);
	}

	@Override
	public void onMessage(ConsumerRecord<String, byte[]> record, @Nullable Acknowledgment acknowledgment) {
		if (this.endpoint.guarantee() == Guarantee.AT_MOST_ONCE && acknowledgment != null) {
			acknowledgment.acknowledge();
		}
		if (isRedriveForAnother(record)) {
			return;
		}
		String key = key(record);
		this.attempts.merge(key, 1, Integer::sum);
		StoredRecord stored = this.scopes.read(record);
		if (!this.endpoint.accepts(stored.record())) {
			this.attempts.remove(key);
			return;
		}
		if (KafkaHeaderCodec.get(record.headers(), EventyKafkaHeaders.REDRIVE_SUBSCRIPTION) != null) {
			logger.info("Subscription {} handles re-driven dead letter at offset {} of {}-{}",
					this.endpoint.subscription(), record.offset(), record.topic(), record.partition());
		}
		Throwable failure;
		try {
			failure = this.dispatcher.dispatch(stored);
		}
		finally {
			clearInterrupt(record);
		}
		if (failure != null) {
			throw unchecked(failure);
		}
		this.attempts.remove(key);
		this.activity.done(new TopicPartition(record.topic(), record.partition()));
	}

	/**
	 * Clear the interrupt a handler left on the consumer thread, such as one that
	 * swallows an {@link InterruptedException}: the consumer would otherwise fail every
	 * poll and commit, each failure setting the flag again, and never move past the
	 * record.
	 */
	private void clearInterrupt(ConsumerRecord<String, byte[]> record) {
		if (Thread.interrupted()) {
			logger.warn(
					"Subscription '{}': handler {} left its thread interrupted on record at offset {} of {}-{}; "
							+ "the interrupt is cleared",
					this.endpoint.subscription(), this.endpoint.handlerName(), record.offset(), record.topic(),
					record.partition());
		}
	}

	private static RuntimeException unchecked(Throwable failure) {
		if (failure instanceof RuntimeException runtime) {
			return runtime;
		}
		// an error (such as a StackOverflowError) and a checked exception thrown sneakily
		// are failures of the call too: the container would stop for good on an error
		return new HandlerInvocationException(failure.toString(), failure);
	}

	/**
	 * Return whether the subscription handles a record, or skips it: a dead letter
	 * re-driven for another consumer group, or a record the endpoint does not select.
	 * @param record the consumed record
	 * @param stored the record decoded, or {@code null} when it is no Eventy record (it
	 * is then not skipped: its decoding fails for the error handler)
	 * @return {@code false} to skip the record
	 */
	boolean selects(ConsumerRecord<String, byte[]> record, @Nullable StoredRecord stored) {
		if (isRedriveForAnother(record)) {
			return false;
		}
		return stored == null || this.endpoint.accepts(stored.record());
	}

	private boolean isRedriveForAnother(ConsumerRecord<String, byte[]> record) {
		String redriveFor = KafkaHeaderCodec.get(record.headers(), EventyKafkaHeaders.REDRIVE_SUBSCRIPTION);
		return redriveFor != null && !redriveFor.equals(this.groupId);
	}

	SubscriptionActivity activity() {
		return this.activity;
	}

	HandlerObserver observer() {
		return this.observer;
	}

	HandlerDispatcher dispatcher() {
		return this.dispatcher;
	}

	/**
	 * Return how often the subscription tried a record.
	 * @param record the record being given up on
	 * @return the attempts, at least 1
	 */
	int attempts(ConsumerRecord<?, ?> record) {
		Integer count = this.attempts.get(key(record));
		return (count != null) ? count : 1;
	}

	/**
	 * Return how often the subscription tried a record, and forget it.
	 * @param record the record given up on
	 * @return the attempts, at least 1
	 */
	int takeAttempts(ConsumerRecord<?, ?> record) {
		Integer count = this.attempts.remove(key(record));
		return (count != null) ? count : 1;
	}

	/**
	 * Forget the attempts on partitions this consumer no longer reads.
	 * @param partition a revoked partition
	 */
	void forget(TopicPartition partition) {
		this.activity.forget(partition);
		String prefix = partition.topic() + "-" + partition.partition() + "@";
		this.attempts.keySet().removeIf((key) -> key.startsWith(prefix));
	}

	HandlerEndpoint endpoint() {
		return this.endpoint;
	}

	private static String key(ConsumerRecord<?, ?> record) {
		return record.topic() + "-" + record.partition() + "@" + record.offset();
	}

}
