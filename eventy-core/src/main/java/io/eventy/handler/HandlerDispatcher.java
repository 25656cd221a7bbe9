package io.eventy.handler;

import java.time.Duration;
import java.util.Objects;

import io.eventy.store.StoredRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both stores do with a record a subscription's handler takes, whatever fetches the
 * record, owns it and moves past it: call the handler, answer a failed request with an
 * error response (which counts as handled), time the call, decide between another attempt
 * and giving up, log either with the record's ids current, and tell the
 * {@link HandlerObserver}. The stores only fetch records, hold ownership and move
 * checkpoints or offsets.
 * <p>
 * A handler throws runtime exceptions and errors only (a checked exception arrives as a
 * {@link HandlerInvocationException}); every one of them is a failure of the call, never
 * of the subscription.
 */
public final class HandlerDispatcher {

	private static final Logger logger = LoggerFactory.getLogger(HandlerDispatcher.class);

	private static final CallRunner DIRECT = (call) -> {
		try {
			call.run();
			return null;
		}
		catch (Throwable ex) {
			return ex;
		}
	};

	private final HandlerEndpoint endpoint;

	private final HandlerObserver observer;

	/**
	 * Create a dispatcher.
	 * @param endpoint the subscription's handler
	 * @param observer what observes the calls
	 */
	public HandlerDispatcher(HandlerEndpoint endpoint, HandlerObserver observer) {
		this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
		this.observer = Objects.requireNonNull(observer, "observer");
	}

	/**
	 * Return the subscription's handler.
	 * @return the endpoint
	 */
	public HandlerEndpoint endpoint() {
		return this.endpoint;
	}

	/**
	 * Return the subscription's name.
	 * @return the name
	 */
	public String subscription() {
		return this.endpoint.subscription();
	}

	/**
	 * Call the handler with a record, and answer a failed request with an error response.
	 * @param record the record
	 * @return {@code null} when it was handled (or answered), else the failure
	 */
	public @Nullable Throwable dispatch(StoredRecord record) {
		return dispatch(record, DIRECT);
	}

	/**
	 * Call the handler with a record, and answer a failed request with an error response,
	 * each call run by a runner, such as in a transaction of its own.
	 * @param record the record
	 * @param runner runs the call of the handler, then the one of the error response
	 * @return {@code null} when it was handled (or answered), else the failure; when the
	 * runner throws, nothing is observed and its exception propagates
	 */
	public @Nullable Throwable dispatch(StoredRecord record, CallRunner runner) {
		long start = System.nanoTime();
		Throwable failure = runner.run(() -> this.endpoint.handle(record));
		if (failure != null && this.endpoint.answersFailures(record)) {
			Throwable original = failure;
			failure = runner.run(() -> this.endpoint.answerFailure(record, original));
			if (failure != null) {
				failure.addSuppressed(original);
			}
		}
		this.observer.called(subscription(), Duration.ofNanos(System.nanoTime() - start), failure == null);
		if (failure == null) {
			this.observer.handled(subscription(), HandlerObserver.Outcome.SUCCESS);
		}
		return failure;
	}

	/**
	 * Describe a failure in one line, as the stores keep it with a record they retry or
	 * give up on: the exception's class and message, and its cause unless the message
	 * already names it, at most 4000 characters.
	 * @param failure the failure
	 * @return its description
	 */
	public static String describe(Throwable failure) {
		return FailureDescription.of(failure);
	}

	/**
	 * Return whether to give up on a record after a failed call.
	 * @param failure the failure
	 * @param attempts how many calls of the record failed, this one included
	 * @param policy the retry policy
	 * @return whether the failure is not worth retrying (data that does not fit the
	 * payload type) or the attempts are used up
	 */
	public boolean givesUp(Throwable failure, int attempts, RetryPolicy policy) {
		return !this.endpoint.isRetryable(failure) || !policy.canRetry(attempts);
	}

	/**
	 * Log that a record is tried again after a backoff, and tell the observer. The first
	 * failure is logged with its stack trace, the next ones in one line. Call it with the
	 * record's ids current.
	 * @param where where the record is, such as {@code at position 42}
	 * @param attempts how many calls failed
	 * @param policy the retry policy
	 * @param delay the backoff before the next attempt
	 * @param failure the last failure
	 */
	public void retrying(String where, int attempts, RetryPolicy policy, Duration delay, Throwable failure) {
		if (attempts == 1) {
			logger.warn("Subscription '{}': handler {} failed on record {} (attempt 1 of {}), next attempt in {}",
					subscription(), this.endpoint.handlerName(), where, policy.maxAttempts(), delay, failure);
		}
		else {
			logger.warn("Subscription '{}': handler failed on record {} (attempt {} of {}), next attempt in {}: {}",
					subscription(), where, attempts, policy.maxAttempts(), delay, FailureDescription.of(failure));
		}
		this.observer.handled(subscription(), HandlerObserver.Outcome.RETRY);
	}

	/**
	 * Log that the subscription gave up on a record, and tell the observer. Call it with
	 * the record's ids current, once the dead letter is stored.
	 * @param where where the record is, such as {@code at position 42}
	 * @param record what the record is, such as its name and uuid
	 * @param attempts how many calls failed
	 * @param deadLetters where the dead letter is, such as {@code on orders-events.DLT},
	 * or empty
	 * @param failure the last failure, or {@code null} when unknown
	 */
	public void gaveUp(String where, String record, int attempts, String deadLetters, @Nullable Throwable failure) {
		logger.error("Subscription '{}' gave up on record {} ({}) after {} attempt(s); it is a dead letter now{}",
				subscription(), where, record, attempts, deadLetters.isEmpty() ? "" : " " + deadLetters, failure);
		this.observer.handled(subscription(), HandlerObserver.Outcome.DEAD_LETTER);
	}

	/**
	 * Runs one call of a handler or of its error response.
	 */
	@FunctionalInterface
	public interface CallRunner {

		/**
		 * Run the call.
		 * @param call the call
		 * @return what the call threw, or {@code null}
		 */
		@Nullable Throwable run(Runnable call);

	}

}
