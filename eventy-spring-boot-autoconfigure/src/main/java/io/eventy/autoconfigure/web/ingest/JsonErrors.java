package io.eventy.autoconfigure.web.ingest;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.jspecify.annotations.Nullable;

/**
 * Says what is wrong with submitted data in the terms of the JSON a client sent: the
 * field's path ({@code items[2].name}, {@code body} for the whole body) and a reason such
 * as {@code must be an integer}. Jackson's own messages name Java classes and types,
 * which say nothing to a client and tell it how the service is built, so they are never
 * shown.
 */
final class JsonErrors {

	static final String BODY = "body";

	private JsonErrors() {
	}

	/**
	 * Describe why a body is not JSON, as Jackson 2 found reading it.
	 * @param ex what reading threw
	 * @return one violation, {@code path: reason}
	 */
	static String unreadable(JsonProcessingException ex) {
		List<String> segments = new ArrayList<>();
		if (ex instanceof JsonParseException parse && !(ex instanceof JsonEOFException)) {
			// where the parser was when it gave up
			JsonParser parser = parse.getProcessor();
			for (JsonStreamContext context = (parser != null) ? parser.getParsingContext() : null; context != null
					&& !context.inRoot(); context = context.getParent()) {
				if (context.inObject() && context.getCurrentName() != null) {
					segments.add(0, context.getCurrentName());
				}
				else if (context.inArray() && context.hasCurrentIndex()) {
					segments.add(0, "[" + context.getCurrentIndex() + "]");
				}
			}
		}
		String reason;
		if (ex instanceof StreamConstraintsException) {
			reason = "is too long or too deeply nested";
		}
		else if (String.valueOf(ex.getOriginalMessage()).startsWith("Duplicate field")) {
			reason = "is given twice";
		}
		else if (ex instanceof JsonEOFException) {
			reason = "is not valid JSON: it ends too early" + location(ex.getLocation());
		}
		else {
			reason = "is not valid JSON" + location(ex.getLocation());
		}
		return path(segments) + ": " + reason;
	}

	/**
	 * Describe why data does not convert to a payload type.
	 * @param failure what the conversion threw, with Jackson's exception among its causes
	 * @return one violation, {@code path: reason}
	 */
	static String unconvertible(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof JsonMappingException mapping) {
				return describe(mapping);
			}
			if (cause instanceof InputCoercionException coercion) {
				return BODY + ": must be " + kind(coercion.getTargetType()) + " in range";
			}
			if (cause.getClass().getName().startsWith("tools.jackson.")) {
				String described = Jackson3Errors.describe(cause);
				if (described != null) {
					return described;
				}
			}
		}
		return BODY + ": cannot be read as this event";
	}

	private static String describe(JsonMappingException ex) {
		List<String> segments = new ArrayList<>();
		for (JsonMappingException.Reference reference : ex.getPath()) {
			if (reference.getFieldName() != null) {
				segments.add(reference.getFieldName());
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
			reason = nullForPrimitive(ex.getOriginalMessage()) ? "is required"
					: "must be " + kind(mismatch.getTargetType());
		}
		else if (ex instanceof ValueInstantiationException) {
			reason = "has an invalid value";
		}
		else if (ex.getCause() instanceof InputCoercionException coercion) {
			reason = "must be " + kind(coercion.getTargetType()) + " in range";
		}
		else {
			reason = "cannot be read";
		}
		return path(segments) + ": " + reason;
	}

	/**
	 * Join path segments as a client writes them: {@code items[2].name}.
	 * @param segments field names and {@code [index]} segments
	 * @return the path, {@code body} when there is none
	 */
	static String path(List<String> segments) {
		if (segments.isEmpty()) {
			return BODY;
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

	/**
	 * Return whether Jackson refused a missing or {@code null} value for a primitive
	 * property (the payload converter fails on nulls for primitives): it says so only in
	 * its message, which otherwise reads as a value of the wrong type.
	 * @param message the exception's message, without its location
	 * @return whether the value was missing or {@code null}
	 */
	static boolean nullForPrimitive(@Nullable String message) {
		return message != null && message.startsWith("Cannot map `null` into type");
	}

	/**
	 * Return what a value of a type is called in JSON.
	 * @param type the Java type Jackson expected
	 * @return its JSON name, such as {@code an integer}
	 */
	static String kind(@Nullable Class<?> type) {
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

	private static String location(@Nullable JsonLocation location) {
		if (location == null || location.getLineNr() < 1) {
			return "";
		}
		return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
	}

}
