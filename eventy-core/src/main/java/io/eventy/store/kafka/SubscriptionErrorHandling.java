package io.eventy.store.kafka;

import java.time.Clock;
import java.util.function.BiFunction;

import io.eventy.handler.Guarantee;
import io.eventy.handler.HandlerEndpoint;
import io.eventy.handler.RetryPolicy;
import io.eventy.record.PayloadConversionException;
import io.eventy.serializer.RecordSerializationException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.FailedRecordProcessor;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * What a subscription's container does with a record whose handling failed: retry it with
 * the {@link RetryPolicy}'s exponential backoff (blocking its partition, which keeps the
 * order of its key), then move it to its dead-letter topic ({@link DeadLetterRecoverer})
 * and go on. A value that is no Eventy record, data that does not fit the payload type,
 * an {@link Guarantee#AT_MOST_ONCE} failure and a failure the endpoint does not retry are
 * dead-lettered at once. The attempts are counted per record, as on PostgreSQL: a handler
 * failing with another exception does not start the count again.
 * <p>
 * An {@link Guarantee#EXACTLY_ONCE} subscription retries in its after-rollback processor
 * and dead-letters in a transaction that also commits the record's offset; the others use
 * an error handler.
 */
final class SubscriptionErrorHandling {

	private final KafkaTemplate<String, byte[]> template;

	private final KafkaSubscriptionSettings settings;

	private final Clock clock;

	SubscriptionErrorHandling(KafkaTemplate<String, byte[]> template, KafkaSubscriptionSettings settings, Clock clock) {
		this.template = template;
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * Set the error handling of a subscription's container.
	 * @param container the container, not started
	 * @param listener the subscription's listener
	 * @param scopes the scopes of its records
	 */
	void configure(ConcurrentMessageListenerContainer<String, byte[]> container, SubscriptionListener listener,
			RecordScopes scopes) {
		HandlerEndpoint endpoint = listener.endpoint();
		DeadLetterPublishingRecoverer recoverer = DeadLetterRecoverer.create(this.template, listener, this.settings,
				this.clock);
		BackOff backOff = backOff(endpoint);
		SubscriptionRetryListener retries = new SubscriptionRetryListener(listener, scopes,
				this.settings.options().retry(), this.settings);
		if (endpoint.guarantee() == Guarantee.EXACTLY_ONCE) {
			DefaultAfterRollbackProcessor<String, byte[]> processor = new DefaultAfterRollbackProcessor<>(recoverer,
					backOff, this.template, true);
			classify(processor, endpoint, backOff, retries);
			container.setAfterRollbackProcessor(processor);
		}
		else {
			DefaultErrorHandler errorHandler = new DefaultErrorHandler(recoverer, backOff);
			classify(errorHandler, endpoint, backOff, retries);
			container.setCommonErrorHandler(errorHandler);
		}
	}

	private BackOff backOff(HandlerEndpoint endpoint) {
		RetryPolicy policy = this.settings.options().retry();
		if (endpoint.guarantee() == Guarantee.AT_MOST_ONCE || policy.maxAttempts() == 1) {
			return new FixedBackOff(0, 0);
		}
		ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(policy.maxAttempts() - 1);
		backOff.setInitialInterval(policy.initialInterval().toMillis());
		backOff.setMultiplier(policy.multiplier());
		backOff.setMaxInterval(policy.maxInterval().toMillis());
		return backOff;
	}

	private static void classify(FailedRecordProcessor processor, HandlerEndpoint endpoint, BackOff backOff,
			SubscriptionRetryListener retries) {
		processor.addNotRetryableExceptions(RecordSerializationException.class, PayloadConversionException.class);
		// the attempts are counted per record, as on PostgreSQL: a handler failing with
		// another exception does not start the count again (and never retries forever)
		processor.setResetStateOnExceptionChange(false);
		// a retry is counted and logged when the backoff grants one, a dead letter once
		// recovered
		BackOff reported = retries.reporting(backOff);
		BiFunction<ConsumerRecord<?, ?>, Exception, BackOff> backOffFunction = (record,
				ex) -> endpoint.isRetryable(SubscriptionRetryListener.cause(ex)) ? reported : new FixedBackOff(0, 0);
		processor.setBackOffFunction(backOffFunction);
		processor.setRetryListeners(retries);
	}

}
