package io.eventy.autoconfigure.web.ingest;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * {@link JsonErrors} for Jackson 3, the mapper of Spring Boot 4 applications. Loaded only
 * for an exception of Jackson 3, so never without Jackson 3 on the classpath.
 */
final class Jackson3Errors {

	private Jackson3Errors() {
	}

	/**
	 * Describe why data does not convert to a payload type.
	 * @param failure a {@code tools.jackson} exception
	 * @return one violation, {@code path: reason}, or {@code null} when the failure is
	 * not one of Jackson 3's
	 */
	static @Nullable String describe(Throwable failure) {
		if (!(failure instanceof JacksonException ex)) {
			return null;
		}
		List<String> segments = new ArrayList<>();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				segments.add(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				segments.add("[" + reference.getIndex() + "]");
			}
		}
		String reason;
		if (ex instanceof UnrecognizedPropertyException) {
			reason = "is not a known field";
		}
		else if (ex instanceof InvalidNullException) {
			reason = "must not be null";
		}
		else if (ex instanceof MismatchedInputException mismatch) {
			reason = JsonErrors.nullForPrimitive(ex.getOriginalMessage()) ? "is required"
					: "must be " + JsonErrors.kind(mismatch.getTargetType());
		}
		else if (ex instanceof InputCoercionException coercion) {
			reason = "must be " + JsonErrors.kind(coercion.getTargetType()) + " in range";
		}
		else if (ex instanceof ValueInstantiationException) {
			reason = "has an invalid value";
		}
		else {
			reason = "cannot be read";
		}
		return JsonErrors.path(segments) + ": " + reason;
	}

}
