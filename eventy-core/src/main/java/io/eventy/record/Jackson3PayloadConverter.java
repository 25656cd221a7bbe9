package io.eventy.record;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link PayloadConverter} on the application's Jackson 3 {@link JsonMapper}, such as
 * the one Spring Boot 4 configures with {@code spring.jackson.*}. Records keep their
 * {@code data} as a Jackson 2 tree ({@link EventyRecord#data()}); payloads are written
 * and read by the Jackson 3 mapper, and trees are copied node by node between the two.
 * <p>
 * Besides payload types, {@link #fromData(JsonNode, Class)} reads the data as a Jackson 3
 * {@code tools.jackson.databind.JsonNode} or {@code ObjectNode}, and returns the record's
 * own Jackson 2 tree when a Jackson 2 {@code JsonNode} is asked for.
 *
 * @see JacksonPayloadConverter
 */
public final class Jackson3PayloadConverter implements PayloadConverter {

	private final JsonMapper jsonMapper;

	private final ObjectReader strictReader;

	private final Jackson3Trees trees;

	/** A reader per payload class, so that each read skips resolving the type. */
	private final ClassValue<ObjectReader> readers = new ClassValue<>() {

		@Override
		protected ObjectReader computeValue(Class<?> type) {
			return Jackson3PayloadConverter.this.jsonMapper.readerFor(type);
		}

	};

	/**
	 * Create a converter.
	 * @param jsonMapper the application's JSON mapper
	 */
	public Jackson3PayloadConverter(JsonMapper jsonMapper) {
		this.jsonMapper = Objects.requireNonNull(jsonMapper, "jsonMapper");
		this.strictReader = jsonMapper.reader()
			.with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
					DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
		this.trees = new Jackson3Trees(jsonMapper);
	}

	@Override
	public ObjectNode toData(Object payload) {
		Jackson2Annotations.check(payload.getClass());
		String name = payload.getClass().getName();
		tools.jackson.databind.JsonNode tree;
		try {
			tree = this.jsonMapper.valueToTree(payload);
			if (tree instanceof tools.jackson.databind.node.ObjectNode object) {
				return this.trees.toJackson2(object);
			}
		}
		catch (JacksonException | IllegalArgumentException ex) {
			throw new InvalidRecordException(name, List.of("data: cannot be written as JSON: " + ex.getMessage()));
		}
		throw new InvalidRecordException(name, List.of("data: must be a JSON object, " + name + " is written as "
				+ ((tree != null) ? tree.getNodeType() : "null")));
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Returns the data itself when the type is a Jackson 2 {@code JsonNode} it is an
	 * instance of, and a copy when the type is Jackson 3's
	 * {@code tools.jackson.databind.JsonNode} or {@code ObjectNode}.
	 */
	@Override
	public <T> T fromData(JsonNode data, Class<T> type) {
		if (type.isInstance(data)) {
			return type.cast(data);
		}
		Jackson2Annotations.check(type);
		try {
			tools.jackson.databind.JsonNode tree = this.trees.toJackson3(data);
			return type.isInstance(tree) ? type.cast(tree) : this.readers.get(type).readValue(tree);
		}
		catch (RuntimeException ex) {
			throw conversionFailed(type, ex);
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
			return this.strictReader.forType(type).readValue(this.trees.toJackson3(data));
		}
		catch (RuntimeException ex) {
			throw conversionFailed(type, ex);
		}
	}

	private static PayloadConversionException conversionFailed(Class<?> type, RuntimeException ex) {
		return new PayloadConversionException(
				"Record data does not convert to " + type.getName() + ": " + ex.getMessage(), ex);
	}

}
