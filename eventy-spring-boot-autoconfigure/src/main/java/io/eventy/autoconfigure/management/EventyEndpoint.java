package io.eventy.autoconfigure.management;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.eventy.handler.DeadLetter;
import io.eventy.handler.DeadLetters;
import io.eventy.handler.Guarantee;
import io.eventy.handler.SubscriptionState;
import io.eventy.handler.SubscriptionStatus;
import io.eventy.handler.Subscriptions;
import io.eventy.handler.UnknownSubscriptionException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * The {@code eventy} actuator endpoint: the subscriptions of this service, what state
 * each is in, and their dead letters, as JSON an operator and a script can read. Read
 * only; {@link WritableEventyEndpoint} adds the operations.
 * <p>
 * {@code GET /actuator/eventy} lists the subscriptions, {@code GET
 * /actuator/eventy/{subscription}?offset=0&limit=50} shows one with a page of its dead
 * letters.
 */
@WebEndpoint(id = "eventy")
public class EventyEndpoint {

	/** How many dead letters a page holds when the request does not say. */
	public static final int DEFAULT_LIMIT = 50;

	/** The most dead letters a page holds. */
	public static final int MAX_LIMIT = 500;

	private final Subscriptions subscriptions;

	private final DeadLetters deadLetters;

	/**
	 * Create the endpoint.
	 * @param subscriptions the subscriptions of this service
	 * @param deadLetters their dead letters
	 */
	public EventyEndpoint(Subscriptions subscriptions, DeadLetters deadLetters) {
		this.subscriptions = subscriptions;
		this.deadLetters = deadLetters;
	}

	/**
	 * List the subscriptions of this service and the abandoned ones.
	 * @return the overview
	 */
	@ReadOperation
	public Overview subscriptions() {
		List<SubscriptionDescriptor> subscriptions = this.subscriptions.list()
			.stream()
			.map(SubscriptionDescriptor::of)
			.toList();
		return new Overview(writeOperations(), subscriptions, this.subscriptions.abandoned());
	}

	/**
	 * Show one subscription, running or abandoned, with a page of its dead letters.
	 * @param subscription the subscription name
	 * @param offset how many dead letters to skip, {@code 0} when {@code null}
	 * @param limit how many dead letters at most, {@link #DEFAULT_LIMIT} when
	 * {@code null}, at most {@link #MAX_LIMIT}
	 * @return the subscription (200), an error when it is unknown (404) or the page is
	 * out of range (400)
	 */
	@ReadOperation
	public WebEndpointResponse<Object> subscription(@Selector String subscription, @Nullable Integer offset,
			@Nullable Integer limit) {
		int from = (offset != null) ? offset : 0;
		int size = (limit != null) ? limit : DEFAULT_LIMIT;
		if (from < 0) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, "offset must not be negative, got " + from);
		}
		if (size < 1 || size > MAX_LIMIT) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST,
					"limit must be between 1 and " + MAX_LIMIT + ", got " + size);
		}
		SubscriptionDescriptor status;
		boolean abandoned = false;
		try {
			status = SubscriptionDescriptor.of(this.subscriptions.get(subscription));
		}
		catch (UnknownSubscriptionException ex) {
			if (!this.subscriptions.abandoned().contains(subscription)) {
				return error(WebEndpointResponse.STATUS_NOT_FOUND, ex.getMessage());
			}
			status = null;
			abandoned = true;
		}
		List<DeadLetterDescriptor> items = this.deadLetters.list(subscription, from, size)
			.stream()
			.map(DeadLetterDescriptor::of)
			.toList();
		DeadLetterPage page = new DeadLetterPage(from, size, this.deadLetters.count(subscription), items);
		return new WebEndpointResponse<>(
				new SubscriptionDetails(subscription, abandoned, writeOperations(), status, page));
	}

	/**
	 * Return whether this endpoint offers write operations.
	 * @return {@code true} when it does
	 */
	protected boolean writeOperations() {
		return false;
	}

	/**
	 * Return the subscriptions this endpoint shows.
	 * @return the subscriptions
	 */
	protected final Subscriptions getSubscriptions() {
		return this.subscriptions;
	}

	/**
	 * Return the dead letters this endpoint shows.
	 * @return the dead letters
	 */
	protected final DeadLetters getDeadLetters() {
		return this.deadLetters;
	}

	/**
	 * Return an error response.
	 * @param status the HTTP status
	 * @param message what went wrong, for the operator
	 * @return the response, with a {@link Failure} body
	 */
	static WebEndpointResponse<Object> error(int status, @Nullable String message) {
		return new WebEndpointResponse<>(new Failure(status, (message != null) ? message : "Failed"), status);
	}

	/**
	 * The answer of {@code GET /actuator/eventy}.
	 *
	 * @param writeOperations whether the endpoint offers its write operations
	 * @param subscriptions the subscriptions of this service, by name
	 * @param abandoned the names of subscriptions that left state in the store but that
	 * no running instance has any more
	 */
	public record Overview(boolean writeOperations, List<SubscriptionDescriptor> subscriptions,
			List<String> abandoned) {

	}

	/**
	 * The answer of {@code GET /actuator/eventy/{subscription}}.
	 *
	 * @param name the subscription name
	 * @param abandoned whether the subscription is abandoned: no running instance has it
	 * @param writeOperations whether the endpoint offers its write operations
	 * @param subscription its status, or {@code null} when it is abandoned
	 * @param deadLetters a page of its dead letters
	 */
	public record SubscriptionDetails(String name, boolean abandoned, boolean writeOperations,
			@Nullable SubscriptionDescriptor subscription, DeadLetterPage deadLetters) {

	}

	/**
	 * One subscription, as {@link SubscriptionStatus} reports it, times as ISO-8601 text.
	 *
	 * @param name the subscription name
	 * @param store {@code postgres} or {@code kafka}
	 * @param guarantee its delivery guarantee
	 * @param segments PostgreSQL segments or Kafka partitions
	 * @param state what it is doing
	 * @param checkpoints where each segment or partition is
	 * @param lag records waiting, {@code -1} when unknown
	 * @param rate records handled per second over the last minute on this instance
	 * @param deadLetters how many dead letters it has
	 * @param lastError the last failure, or {@code null}
	 * @param lastErrorAt when it happened, or {@code null}
	 */
	public record SubscriptionDescriptor(String name, String store, Guarantee guarantee, int segments,
			SubscriptionState state, List<SubscriptionStatus.Checkpoint> checkpoints, long lag, double rate,
			long deadLetters, @Nullable String lastError, @Nullable String lastErrorAt) {

		static SubscriptionDescriptor of(SubscriptionStatus status) {
			Instant lastErrorAt = status.lastErrorAt();
			return new SubscriptionDescriptor(status.name(), status.store(), status.guarantee(), status.segments(),
					status.state(), status.checkpoints(), status.lag(), status.rate(), status.deadLetters(),
					status.lastError(), (lastErrorAt != null) ? lastErrorAt.toString() : null);
		}

	}

	/**
	 * A page of dead letters.
	 *
	 * @param offset how many dead letters were skipped
	 * @param limit the most dead letters the page holds
	 * @param total how many dead letters the subscription has
	 * @param items the dead letters of the page, oldest record first
	 */
	public record DeadLetterPage(int offset, int limit, long total, List<DeadLetterDescriptor> items) {

	}

	/**
	 * One dead letter, as {@link DeadLetter} holds it.
	 *
	 * @param id identifies it among its subscription's: the record's position
	 * (PostgreSQL) or {@code <topic>-<partition>@<offset>} (Kafka)
	 * @param uuid the record's uuid, or {@code null} when it cannot be read
	 * @param qualifiedName the record's {@code namespace:name}, or {@code null} when it
	 * cannot be read
	 * @param readable whether the stored record can be read
	 * @param unreadable why it cannot be read, or {@code null}
	 * @param json the record as stored, as text
	 * @param attempts how many times the handler was called with it
	 * @param lastError the last failure
	 * @param deadAt when the subscription gave up, ISO-8601
	 */
	public record DeadLetterDescriptor(String id, @Nullable UUID uuid, @Nullable String qualifiedName, boolean readable,
			@Nullable String unreadable, String json, int attempts, String lastError, String deadAt) {

		static DeadLetterDescriptor of(DeadLetter letter) {
			return new DeadLetterDescriptor(letter.id(), letter.uuid(), letter.qualifiedName(), letter.readable(),
					letter.unreadable(), letter.json(), letter.attempts(), letter.lastError(),
					letter.deadAt().toString());
		}

	}

	/**
	 * What went wrong with a request.
	 *
	 * @param status the HTTP status
	 * @param error what went wrong, for the operator
	 */
	public record Failure(int status, String error) {

	}

}
