package io.eventy.sample;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Says what is wrong with a JSON request body that Jackson could not read, in the terms
 * of the JSON a client sent: the field's path ({@code items[2].name}, {@code body} for
 * the whole body) and a reason such as {@code must be an integer}. Jackson's own messages
 * name Java classes and types ({@code Cannot deserialize value of type `long`}), which
 * say nothing to a client and tell it how the service is built, so they are never shown.
 */
final class JsonBodyErrors {

	private JsonBodyErrors() {
	}

	/**
	 * Describe why a body could not be read.
	 * @param failure what reading the body threw, with Jackson's exception among its
	 * causes
	 * @return one violation, {@code path: reason}, or {@code null} when Jackson was not
	 * the cause
	 */
	static @Nullable String describe(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof JacksonException jackson) {
				return path(jackson) + ": " + reason(jackson);
			}
		}
		return null;
	}

	private static String path(JacksonException ex) {
		List<String> segments = new ArrayList<>();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				segments.add(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				segments.add("[" + reference.getIndex() + "]");
			}
		}
		JsonParser parser = (ex instanceof StreamReadException read) ? read.processor() : null;
		if (segments.isEmpty() && parser != null && !(ex instanceof UnexpectedEndOfInputException)) {
			// malformed JSON: where the parser was when it gave up
			for (TokenStreamContext context = parser.streamReadContext(); context != null
					&& !context.inRoot(); context = context.getParent()) {
				if (context.inObject() && context.currentName() != null) {
					segments.add(0, context.currentName());
				}
				else if (context.inArray() && context.hasCurrentIndex()) {
					segments.add(0, "[" + context.getCurrentIndex() + "]");
				}
			}
		}
		if (segments.isEmpty()) {
			return "body";
		}
		StringBuilder path = new StringBuilder();
		for (String segment : segments) {
			if (!path.isEmpty() && !segment.startsWith("[")) {
				path.append('.');
			}
			path.append(segment);
		}
		return path.toString();
	}

	private static String reason(JacksonException ex) {
		if (ex instanceof UnrecognizedPropertyException) {
			return "is not a known field";
		}
		if (ex instanceof InvalidNullException) {
			return "must not be null";
		}
		if (ex instanceof MismatchedInputException mismatch) {
			return "must be " + kind(mismatch.getTargetType());
		}
		if (ex instanceof InputCoercionException coercion) {
			return "must be " + kind(coercion.getTargetType()) + " in range";
		}
		if (ex instanceof ValueInstantiationException) {
			return "has an invalid value";
		}
		if (ex instanceof StreamConstraintsException) {
			return "is too long or too deeply nested";
		}
		if (ex instanceof UnexpectedEndOfInputException) {
			return "is not valid JSON: it ends too early" + location(ex);
		}
		if (ex instanceof StreamReadException) {
			return "is not valid JSON" + location(ex);
		}
		return "cannot be read";
	}

	/**
	 * Return what a value of a type is called in JSON.
	 */
	private static String kind(@Nullable Class<?> type) {
		if (type == null) {
			return "a valid value";
		}
		if (type == String.class || type == char.class || type == Character.class) {
			return "a string";
		}
		if (type == boolean.class || type == Boolean.class) {
			return "true or false";
		}
		if (type == int.class || type == long.class || type == short.class || type == byte.class
				|| type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
				|| type == BigInteger.class) {
			return "an integer";
		}
		if (type == double.class || type == float.class || Number.class.isAssignableFrom(type)) {
			return "a number";
		}
		if (type.isEnum()) {
			return "one of "
					+ Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "));
		}
		if (type.isArray() || Collection.class.isAssignableFrom(type)) {
			return "an array";
		}
		if (type.getName().startsWith("java.time.")) {
			return "a date or time in ISO-8601";
		}
		return "an object";
	}

	private static String location(JacksonException ex) {
		TokenStreamLocation location = ex.getLocation();
		if (location == null || location.getLineNr() < 1) {
			return "";
		}
		return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
	}

}
