package io.eventy.store.kafka;

import java.time.Duration;

import io.eventy.handler.HandlerObserver;
import io.eventy.handler.RetryPolicy;
import io.eventy.store.StoredRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Counts and logs what Spring Kafka's error handler decides on a subscription's failed
 * calls, as the PostgreSQL subscriptions do: each retry it grants (a warning with the
 * attempt and the backoff) and each record it gives up on (an error naming the
 * dead-letter topic). It runs on the consumer thread inside the record's
 * {@link RecordScopes scope}, so its lines carry the record's ids.
 * <p>
 * The error handler tells each failed call ({@link #failedDelivery}) right before it asks
 * the backoff for the next one; the {@link #reporting(BackOff) reporting backoff} then
 * knows whether and when the record is tried again.
 */
final class SubscriptionRetryListener implements RetryListener {

	private final SubscriptionListener listener;

	private final RecordScopes scopes;

	private final RetryPolicy policy;

	private final KafkaSubscriptionSettings settings;

	private final ThreadLocal<Failure> lastFailure = new ThreadLocal<>();

	SubscriptionRetryListener(SubscriptionListener listener, RecordScopes scopes, RetryPolicy policy,
			KafkaSubscriptionSettings settings) {
		this.listener = listener;
		this.scopes = scopes;
		this.policy = policy;
		this.settings = settings;
	}

	/**
	 * Return a backoff that reports each retry it grants.
	 * @param backOff the backoff
	 * @return the reporting backoff
	 */
	BackOff reporting(BackOff backOff) {
		return () -> {
			BackOffExecution execution = backOff.start();
			return () -> {
				long next = execution.nextBackOff();
				if (next != BackOffExecution.STOP) {
					retrying(Duration.ofMillis(next));
				}
				return next;
			};
		};
	}

	@Override
	public void failedDelivery(ConsumerRecord<?, ?> record, @Nullable Exception ex, int deliveryAttempt) {
		if (ex != null) {
			this.lastFailure.set(new Failure(record, cause(ex), deliveryAttempt));
			this.listener.activity().failed(new TopicPartition(record.topic(), record.partition()), cause(ex));
		}
	}

	private void retrying(Duration delay) {
		Failure failure = this.lastFailure.get();
		this.lastFailure.remove();
		if (failure == null) {
			this.listener.observer().handled(this.listener.endpoint().subscription(), HandlerObserver.Outcome.RETRY);
			return;
		}
		this.listener.dispatcher()
			.retrying(where(failure.record()), failure.attempt(), this.policy, delay, failure.cause());
	}

	@Override
	public void recovered(ConsumerRecord<?, ?> record, @Nullable Exception ex) {
		this.lastFailure.remove();
		this.listener.activity().done(new TopicPartition(record.topic(), record.partition()));
		this.listener.dispatcher()
			.gaveUp(where(record), describe(record), this.listener.takeAttempts(record),
					"on " + this.settings.deadLetterTopicFor(record.topic()), (ex != null) ? cause(ex) : null);
	}

	private static String where(ConsumerRecord<?, ?> record) {
		return "at offset " + record.offset() + " of " + record.topic() + "-" + record.partition();
	}

	@Override
	public void recoveryFailed(ConsumerRecord<?, ?> record, @Nullable Exception original, Exception failure) {
		// Spring Kafka logs why the record could not be moved; it is tried again
		this.lastFailure.remove();
	}

	private String describe(ConsumerRecord<?, ?> record) {
		StoredRecord stored = this.scopes.decoded(record);
		return (stored != null)
				? stored.record().namespace() + ":" + stored.record().name() + " " + stored.record().uuid()
				: "not an Eventy record";
	}

	/**
	 * Return what a handler threw, without Spring Kafka's wrapper.
	 * @param ex what the error handler got
	 * @return the handler's exception, or {@code ex} when it is no wrapper
	 */
	static Throwable cause(Throwable ex) {
		return (ex instanceof ListenerExecutionFailedException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	/**
	 * A failed call, until the backoff decided on the next.
	 *
	 * @param record the record
	 * @param cause what the handler threw
	 * @param attempt the attempt that failed, from 1
	 */
	private record Failure(ConsumerRecord<?, ?> record, Throwable cause, int attempt) {
	}

}
