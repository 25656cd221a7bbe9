package io.eventy.record;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@link PayloadConverter} on the application's Jackson {@link ObjectMapper}.
 */
public final class JacksonPayloadConverter implements PayloadConverter {

	private final ObjectMapper objectMapper;

	private final ObjectReader strictReader;

	/** A reader per payload class, so that each read skips resolving the type. */
	private final ClassValue<ObjectReader> readers = new ClassValue<>() {

		@Override
		protected ObjectReader computeValue(Class<?> type) {
			return JacksonPayloadConverter.this.objectMapper.readerFor(type);
		}

	};

	/**
	 * Create a converter.
	 * @param objectMapper the application's object mapper
	 */
	public JacksonPayloadConverter(ObjectMapper objectMapper) {
		this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
		this.strictReader = objectMapper.reader()
			.with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
					DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
	}

	/**
	 * Return the object mapper, for components that read and write JSON text with the
	 * same settings (such as a store's {@code jsonb} columns).
	 * @return the object mapper
	 */
	public ObjectMapper objectMapper() {
		return this.objectMapper;
	}

	@Override
	public ObjectNode toData(Object payload) {
		JsonNode node;
		try {
			node = this.objectMapper.valueToTree(payload);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRecordException(payload.getClass().getName(),
					List.of("data: cannot be written as JSON: " + ex.getMessage()));
		}
		if (node instanceof ObjectNode object) {
			return object;
		}
		throw new InvalidRecordException(payload.getClass().getName(), List.of("data: must be a JSON object, "
				+ payload.getClass().getName() + " is written as " + ((node != null) ? node.getNodeType() : "null")));
	}

	@Override
	public <T> T fromData(JsonNode data, Class<T> type) {
		if (type.isInstance(data)) {
			return type.cast(data);
		}
		try {
			return this.readers.get(type).readValue(data);
		}
		catch (Exception ex) {
			throw new PayloadConversionException(
					"Record data does not convert to " + type.getName() + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Reads with {@code FAIL_ON_UNKNOWN_PROPERTIES} and
	 * {@code FAIL_ON_NULL_FOR_PRIMITIVES} on, whatever the application's mapper says; a
	 * type annotated {@code @JsonIgnoreProperties(ignoreUnknown = true)} still ignores
	 * unknown properties.
	 */
	@Override
	public <T> T fromSubmittedData(JsonNode data, Class<T> type) {
		try {
			return this.strictReader.forType(type).readValue(data);
		}
		catch (Exception ex) {
			throw new PayloadConversionException(
					"Record data does not convert to " + type.getName() + ": " + ex.getMessage(), ex);
		}
	}

}
