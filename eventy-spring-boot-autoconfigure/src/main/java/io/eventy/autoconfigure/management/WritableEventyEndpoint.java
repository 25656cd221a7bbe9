package io.eventy.autoconfigure.management;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;

import io.eventy.handler.DeadLetters;
import io.eventy.handler.ResetTo;
import io.eventy.handler.Subscriptions;
import io.eventy.handler.UnknownSubscriptionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * The {@code eventy} actuator endpoint with its write operations, defined instead of
 * {@link EventyEndpoint} when {@code eventy.management.write-operations.enabled=true}.
 * <p>
 * {@code POST /actuator/eventy/{subscription}} with a JSON body runs one action:
 * <ul>
 * <li>{@code {"action": "pause"}} and {@code {"action": "resume"}};</li>
 * <li>{@code {"action": "reset", "to": "earliest"}}, {@code "latest"}, {@code "position"}
 * with {@code "position": 42}, or {@code "time"} with
 * {@code "time": "2026-01-31T12:00:00Z"};</li>
 * <li>{@code {"action": "redrive"}} and {@code {"action": "discard"}}: every dead letter,
 * or the one of the record named by {@code "uuid"}.</li>
 * </ul>
 * {@code DELETE /actuator/eventy/{subscription}} forgets an abandoned subscription.
 */
@WebEndpoint(id = "eventy")
public final class WritableEventyEndpoint extends EventyEndpoint {

	private static final Logger logger = LoggerFactory.getLogger(WritableEventyEndpoint.class);

	private static final int STATUS_CONFLICT = 409;

	/**
	 * Create the endpoint.
	 * @param subscriptions the subscriptions of this service
	 * @param deadLetters their dead letters
	 */
	public WritableEventyEndpoint(Subscriptions subscriptions, DeadLetters deadLetters) {
		super(subscriptions, deadLetters);
	}

	@Override
	protected boolean writeOperations() {
		return true;
	}

	/**
	 * Run an action on a subscription.
	 * @param subscription the subscription name
	 * @param action {@code pause}, {@code resume}, {@code reset}, {@code redrive} or
	 * {@code discard}
	 * @param to for {@code reset}: {@code earliest}, {@code latest}, {@code position} or
	 * {@code time}
	 * @param position for {@code reset} to {@code position}: the position
	 * @param time for {@code reset} to {@code time}: an ISO-8601 instant
	 * @param uuid for {@code redrive} and {@code discard}: the record of the one dead
	 * letter, or {@code null} for all
	 * @return what was done (200), an error when the subscription or the dead letter is
	 * unknown (404) or the request is not valid (400)
	 */
	@WriteOperation
	public WebEndpointResponse<Object> operate(@Selector String subscription, String action, @Nullable String to,
			@Nullable Long position, @Nullable String time, @Nullable String uuid) {
		try {
			Action parsed = Action.parse(action);
			if (parsed != Action.RESET && (to != null || position != null || time != null)) {
				return badRequest("'to', 'position' and 'time' are for the action 'reset' only");
			}
			if (parsed != Action.REDRIVE && parsed != Action.DISCARD && uuid != null) {
				return badRequest("'uuid' is for the actions 'redrive' and 'discard' only");
			}
			// an unknown subscription is a 404 before anything is done
			getSubscriptions().get(subscription);
			Long affected = null;
			switch (parsed) {
				case PAUSE -> getSubscriptions().pause(subscription);
				case RESUME -> getSubscriptions().resume(subscription);
				case RESET -> getSubscriptions().reset(subscription, resetTo(to, position, time));
				case REDRIVE -> {
					if (uuid != null) {
						if (!getDeadLetters().redrive(subscription, uuid(uuid))) {
							return noDeadLetter(subscription, uuid);
						}
						affected = 1L;
					}
					else {
						affected = (long) getDeadLetters().redrive(subscription);
					}
				}
				case DISCARD -> {
					if (uuid != null) {
						if (!getDeadLetters().discard(subscription, uuid(uuid))) {
							return noDeadLetter(subscription, uuid);
						}
						affected = 1L;
					}
					else {
						affected = (long) getDeadLetters().discard(subscription);
					}
				}
			}
			logger.info("Subscription '{}': {} through the actuator endpoint{}", subscription,
					describe(parsed, to, position, time, uuid),
					(affected != null) ? " (" + affected + " dead letters)" : "");
			return new WebEndpointResponse<>(new OperationResult(subscription, parsed.value, affected,
					SubscriptionDescriptor.of(getSubscriptions().get(subscription))));
		}
		catch (UnknownSubscriptionException ex) {
			return error(WebEndpointResponse.STATUS_NOT_FOUND, ex.getMessage());
		}
		catch (IllegalArgumentException ex) {
			return badRequest(ex.getMessage());
		}
	}

	/**
	 * Forget an abandoned subscription: delete its checkpoints or consumer group and its
	 * dead letters. Records are never touched.
	 * @param subscription the subscription name
	 * @return what was done (200), an error when the subscription is still running (409)
	 * or unknown (404)
	 */
	@DeleteOperation
	public WebEndpointResponse<Object> forget(@Selector String subscription) {
		if (!getSubscriptions().abandoned().contains(subscription)) {
			try {
				getSubscriptions().get(subscription);
			}
			catch (UnknownSubscriptionException ex) {
				return error(WebEndpointResponse.STATUS_NOT_FOUND,
						"No subscription named '" + subscription + "' in this service, running or abandoned");
			}
			return error(STATUS_CONFLICT, "Subscription '" + subscription
					+ "' is running in this service: only an abandoned subscription can be forgotten");
		}
		try {
			getSubscriptions().forget(subscription);
		}
		catch (IllegalStateException ex) {
			return error(STATUS_CONFLICT, ex.getMessage());
		}
		logger.info("Subscription '{}': forgotten through the actuator endpoint", subscription);
		return new WebEndpointResponse<>(new OperationResult(subscription, "forget", null, null));
	}

	private static ResetTo resetTo(@Nullable String to, @Nullable Long position, @Nullable String time) {
		if (to == null) {
			throw new IllegalArgumentException(
					"The action 'reset' needs 'to': one of earliest, latest, position, time");
		}
		String where = to.toLowerCase(Locale.ROOT);
		if (!where.equals("position") && position != null) {
			throw new IllegalArgumentException("'position' is for 'to': 'position' only");
		}
		if (!where.equals("time") && time != null) {
			throw new IllegalArgumentException("'time' is for 'to': 'time' only");
		}
		return switch (where) {
			case "earliest" -> ResetTo.earliest();
			case "latest" -> ResetTo.latest();
			case "position" -> {
				if (position == null) {
					throw new IllegalArgumentException("A reset to 'position' needs 'position', a number");
				}
				yield ResetTo.position(position);
			}
			case "time" -> {
				if (time == null) {
					throw new IllegalArgumentException(
							"A reset to 'time' needs 'time', an ISO-8601 instant such as 2026-01-31T12:00:00Z");
				}
				try {
					yield ResetTo.time(Instant.parse(time));
				}
				catch (DateTimeParseException ex) {
					throw new IllegalArgumentException(
							"'time' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, got '" + time + "'");
				}
			}
			default -> throw new IllegalArgumentException(
					"Unknown 'to' '" + to + "': expected one of earliest, latest, position, time");
		};
	}

	private static UUID uuid(String uuid) {
		try {
			return UUID.fromString(uuid);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("'uuid' must be a UUID, got '" + uuid + "'");
		}
	}

	private static String describe(Action action, @Nullable String to, @Nullable Long position, @Nullable String time,
			@Nullable String uuid) {
		return switch (action) {
			case RESET ->
				"reset to " + to + ((position != null) ? " " + position : "") + ((time != null) ? " " + time : "");
			case REDRIVE, DISCARD -> action.value + ((uuid != null) ? " dead letter of record " + uuid : " all");
			default -> action.value;
		};
	}

	private static WebEndpointResponse<Object> badRequest(@Nullable String message) {
		return error(WebEndpointResponse.STATUS_BAD_REQUEST, message);
	}

	private static WebEndpointResponse<Object> noDeadLetter(String subscription, String uuid) {
		return error(WebEndpointResponse.STATUS_NOT_FOUND,
				"Subscription '" + subscription + "' has no dead letter of record " + uuid);
	}

	/**
	 * The answer of a write operation.
	 *
	 * @param name the subscription name
	 * @param action what was done: {@code pause}, {@code resume}, {@code reset},
	 * {@code redrive}, {@code discard} or {@code forget}
	 * @param deadLetters for {@code redrive} and {@code discard}: how many dead letters
	 * it concerned; else {@code null}
	 * @param subscription the subscription's status afterwards, or {@code null} after
	 * {@code forget}
	 */
	public record OperationResult(String name, String action, @Nullable Long deadLetters,
			@Nullable SubscriptionDescriptor subscription) {

	}

	private enum Action {

		PAUSE("pause"), RESUME("resume"), RESET("reset"), REDRIVE("redrive"), DISCARD("discard");

		private final String value;

		Action(String value) {
			this.value = value;
		}

		static Action parse(String action) {
			for (Action candidate : values()) {
				if (candidate.value.equalsIgnoreCase(action)) {
					return candidate;
				}
			}
			throw new IllegalArgumentException(
					"Unknown action '" + action + "': expected one of pause, resume, reset, redrive, discard");
		}

	}

}
