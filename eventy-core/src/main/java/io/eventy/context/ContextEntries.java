package io.eventy.context;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Converts the entries of the propagated {@code context} map: a value goes in as a JSON
 * object (Python eventy refuses anything else) and comes out as the type a reader asks
 * for. Conversion uses a plain Jackson 2 mapper with the modules on the classpath, not
 * the application's mapper, so that an entry reads the same wherever it is read.
 */
final class ContextEntries {

	private static final ObjectMapper MAPPER = JsonMapper.builder().findAndAddModules().build();

	private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
	};

	private ContextEntries() {
	}

	/**
	 * Convert a value to a JSON object.
	 * @param key the entry's key, for messages
	 * @param value a map, a Jackson object node, a Java record or a bean
	 * @return the JSON object as a map
	 * @throws IllegalArgumentException if the value is not written as a JSON object
	 */
	static Map<String, Object> toObject(String key, Object value) {
		try {
			return MAPPER.convertValue(value, OBJECT);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Context entry '" + key + "' must convert to a JSON object (a Map, a "
					+ "record or a bean with properties), as Python eventy requires; a " + value.getClass().getName()
					+ " does not", ex);
		}
	}

	/**
	 * Convert a JSON object to a type.
	 * @param <T> the type
	 * @param key the entry's key, for messages
	 * @param value the entry's value
	 * @param type the type
	 * @return the converted value
	 * @throws IllegalArgumentException if the value does not convert
	 */
	static <T> T fromObject(String key, Object value, Class<T> type) {
		if (type.isInstance(value)) {
			return type.cast(value);
		}
		try {
			return MAPPER.convertValue(value, type);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"Context entry '" + key + "' does not convert to " + type.getName() + ": " + ex.getMessage(), ex);
		}
	}

}
