package io.eventy.handler;

import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventy.record.EventyRecord;
import io.eventy.store.StoredRecord;
import org.jspecify.annotations.Nullable;

/**
 * The parameters and return type of an {@link EventHandler} method, checked once at
 * startup, and the arguments of one call.
 * <p>
 * Jackson 3 is optional: its node types are recognized by name, and only a method that
 * takes one loads {@link Jackson3Data}, the class that references them.
 */
final class HandlerSignature {

	private static final String JACKSON3_JSON_NODE = "tools.jackson.databind.JsonNode";

	private static final String JACKSON3_OBJECT_NODE = "tools.jackson.databind.node.ObjectNode";

	private final Method method;

	private final ParameterKind[] parameters;

	private final @Nullable Class<?> payloadType;

	private final boolean returnsValue;

	private HandlerSignature(Method method, ParameterKind[] parameters, @Nullable Class<?> payloadType,
			boolean returnsValue) {
		this.method = method;
		this.parameters = parameters;
		this.payloadType = payloadType;
		this.returnsValue = returnsValue;
	}

	/**
	 * Check a handler method.
	 * @param method the method
	 * @return its signature
	 * @throws IllegalStateException naming the method and the fix, if it cannot be a
	 * handler
	 */
	static HandlerSignature of(Method method) {
		Class<?>[] types = method.getParameterTypes();
		ParameterKind[] parameters = new ParameterKind[types.length];
		Set<ParameterKind> seen = EnumSet.noneOf(ParameterKind.class);
		Class<?> payloadType = null;
		for (int i = 0; i < types.length; i++) {
			ParameterKind kind = ParameterKind.of(types[i]);
			if (kind == ParameterKind.PAYLOAD) {
				checkPayloadType(method, i, types[i]);
				payloadType = types[i];
			}
			if (!seen.add(kind)) {
				throw invalid(method, "it has two " + kind.description + " parameters; declare each at most once");
			}
			parameters[i] = kind;
		}
		return new HandlerSignature(method, parameters, payloadType, checkReturnType(method));
	}

	/**
	 * Return the payload parameter's type.
	 * @return the payload type, or {@code null} when the method has no payload parameter
	 */
	@Nullable Class<?> payloadType() {
		return this.payloadType;
	}

	private Class<?> requirePayloadType() {
		Class<?> type = this.payloadType;
		if (type == null) {
			throw new IllegalStateException("No payload parameter in " + describe(this.method));
		}
		return type;
	}

	/**
	 * Return whether the method returns something to store.
	 * @return {@code false} for {@code void} methods
	 */
	boolean returnsValue() {
		return this.returnsValue;
	}

	/**
	 * Return the arguments of a call with a record.
	 * @param record the record
	 * @return the arguments, in parameter order
	 * @throws io.eventy.record.PayloadConversionException if the record's data does not
	 * fit the payload type
	 */
	Object[] arguments(StoredRecord record) {
		Object[] arguments = new Object[this.parameters.length];
		for (int i = 0; i < arguments.length; i++) {
			arguments[i] = switch (this.parameters[i]) {
				case PAYLOAD -> record.payload(requirePayloadType());
				case JSON -> record.record().data();
				case JACKSON3_JSON -> Jackson3Data.of(record.record().data());
				case STORED_RECORD -> record;
				case EVENTY_RECORD -> record.record();
			};
		}
		return arguments;
	}

	/**
	 * Return the payload among the arguments of a call.
	 * @param arguments the arguments {@link #arguments(StoredRecord)} returned
	 * @return the payload, or {@code null} when the method takes none
	 */
	@Nullable Object payload(Object[] arguments) {
		for (int i = 0; i < this.parameters.length; i++) {
			if (this.parameters[i] == ParameterKind.PAYLOAD) {
				return arguments[i];
			}
		}
		return null;
	}

	static IllegalStateException invalid(Method method, String reason) {
		return new IllegalStateException("@EventHandler method " + describe(method) + " is invalid: " + reason);
	}

	static String describe(Method method) {
		StringBuilder description = new StringBuilder(method.getDeclaringClass().getName()).append('.')
			.append(method.getName())
			.append('(');
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			description.append((i > 0) ? ", " : "").append(types[i].getSimpleName());
		}
		return description.append(')').toString();
	}

	private static void checkPayloadType(Method method, int index, Class<?> type) {
		if (type.isPrimitive() || type.isArray() || type.isEnum() || type.getName().startsWith("java.")
				|| type.getName().startsWith("javax.") || isJsonNode(type)) {
			throw invalid(method, "parameter " + (index + 1) + " has type " + type.getName()
					+ ", which cannot be a payload. A handler takes its payload type (a record or bean class), "
					+ "JsonNode or ObjectNode (of Jackson 2, com.fasterxml.jackson.databind, or of Jackson 3, "
					+ "tools.jackson.databind), StoredRecord and EventyRecord; use JsonNode to receive the raw data");
		}
	}

	private static boolean checkReturnType(Method method) {
		Class<?> type = method.getReturnType();
		if (type == void.class || type == Void.class) {
			return false;
		}
		if (type.isPrimitive() || type.isArray() || type == String.class || Number.class.isAssignableFrom(type)
				|| type == Boolean.class || type == Character.class || java.util.Map.class.isAssignableFrom(type)
				|| java.util.Optional.class.isAssignableFrom(type) || isJsonNode(type)) {
			throw invalid(method, "it returns " + type.getName() + ", which cannot be stored as a record. "
					+ "Return void, a payload object, or a Collection of payload objects");
		}
		return true;
	}

	/**
	 * Return whether a type is a JSON tree node of Jackson 2 or, by name so that Jackson
	 * 3 stays optional, of Jackson 3.
	 * @param type the type
	 * @return {@code true} for {@code JsonNode} and its subtypes
	 */
	private static boolean isJsonNode(Class<?> type) {
		if (JsonNode.class.isAssignableFrom(type)) {
			return true;
		}
		for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
			if (candidate.getName().equals(JACKSON3_JSON_NODE)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * What a handler parameter receives.
	 */
	enum ParameterKind {

		PAYLOAD("payload"), JSON("JsonNode"), JACKSON3_JSON("Jackson 3 JsonNode"), STORED_RECORD("StoredRecord"),
		EVENTY_RECORD("EventyRecord");

		private final String description;

		ParameterKind(String description) {
			this.description = description;
		}

		static ParameterKind of(Class<?> type) {
			if (type == JsonNode.class || type == ObjectNode.class) {
				return JSON;
			}
			if (type.getName().equals(JACKSON3_JSON_NODE) || type.getName().equals(JACKSON3_OBJECT_NODE)) {
				return JACKSON3_JSON;
			}
			if (type == StoredRecord.class) {
				return STORED_RECORD;
			}
			if (type == EventyRecord.class) {
				return EVENTY_RECORD;
			}
			return PAYLOAD;
		}

	}

}
