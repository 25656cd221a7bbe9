package io.eventy.handler;

import io.eventy.record.InvalidRecordException;
import io.eventy.record.PayloadConversionException;
import org.jspecify.annotations.Nullable;

/**
 * Decides the {@code error_code} and {@code error_message} of the error RESPONSE that
 * answers a request whose handler failed: an {@link EventyErrorResponseException}'s own
 * code and message (also when it is the cause of what was thrown, as through a proxy),
 * {@value EventyErrorResponseException#INVALID_REQUEST} for a request whose data does not
 * fit its type or fails validation, else
 * {@value EventyErrorResponseException#INTERNAL_ERROR}.
 */
final class ErrorResponses {

	private ErrorResponses() {
	}

	static int code(Throwable failure) {
		EventyErrorResponseException chosen = chosen(failure);
		if (chosen != null) {
			return chosen.code();
		}
		return isInvalidRequest(failure) ? EventyErrorResponseException.INVALID_REQUEST
				: EventyErrorResponseException.INTERNAL_ERROR;
	}

	static String message(Throwable failure) {
		EventyErrorResponseException chosen = chosen(failure);
		Throwable source = (chosen != null) ? chosen : failure;
		String message = source.getMessage();
		return (message != null) ? message : source.getClass().getName();
	}

	private static @Nullable EventyErrorResponseException chosen(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof EventyErrorResponseException chosen) {
				return chosen;
			}
		}
		return null;
	}

	private static boolean isInvalidRequest(Throwable failure) {
		if (failure instanceof InvalidRecordException || failure instanceof PayloadConversionException) {
			return true;
		}
		// Bean Validation is optional: method validation of a handler throws these
		for (Class<?> type = failure.getClass(); type != null; type = type.getSuperclass()) {
			if (type.getName().equals("jakarta.validation.ValidationException")) {
				return true;
			}
		}
		return false;
	}

}
