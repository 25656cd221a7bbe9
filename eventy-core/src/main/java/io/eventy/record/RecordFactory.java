package io.eventy.record;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.context.EventyIds;
import org.jspecify.annotations.Nullable;

/**
 * Turns payloads into validated {@link EventyRecord} envelopes: resolves the record type,
 * validates the payload, converts it to {@code data}, and fills the correlation id and
 * context from the current {@link EventyContextHolder} scope.
 */
public final class RecordFactory {

	private final RecordTypeRegistry registry;

	private final PayloadConverter converter;

	private final PayloadValidator validator;

	private final String source;

	/**
	 * Create a factory without upcasters: a stored record of another major version than
	 * its payload class declares cannot be read as that class.
	 * @param registry the record types
	 * @param converter converts payloads to data
	 * @param validator checks payloads before they become records
	 * @param source the URN of this service, written as {@code source}
	 */
	public RecordFactory(RecordTypeRegistry registry, PayloadConverter converter, PayloadValidator validator,
			String source) {
		this(registry, converter, validator, source, List.of());
	}

	/**
	 * Create a factory.
	 * @param registry the record types
	 * @param converter converts payloads to data
	 * @param validator checks payloads before they become records
	 * @param source the URN of this service, written as {@code source}
	 * @param upcasters read stored records of an older major version than their payload
	 * class declares
	 */
	public RecordFactory(RecordTypeRegistry registry, PayloadConverter converter, PayloadValidator validator,
			String source, List<? extends RecordUpcaster> upcasters) {
		this.registry = Objects.requireNonNull(registry, "registry");
		Objects.requireNonNull(converter, "converter");
		this.converter = (converter instanceof UpcastingPayloadConverter && upcasters.isEmpty()) ? converter
				: new UpcastingPayloadConverter(converter, registry, upcasters);
		this.validator = Objects.requireNonNull(validator, "validator");
		if (!RecordRules.isUrn(source)) {
			throw new IllegalArgumentException(
					"The service source must be a URN starting with 'urn:', was '" + source + "'");
		}
		if (source.indexOf('.') >= 0) {
			// it becomes the destination of responses, where Python eventy refuses a '.'
			throw new IllegalArgumentException("The service source must use ':' as its only separator, never '.' "
					+ "(Python eventy refuses a response addressed to it), was '" + source + "'");
		}
		this.source = source;
	}

	/**
	 * Return the registry of record types.
	 * @return the registry
	 */
	public RecordTypeRegistry registry() {
		return this.registry;
	}

	/**
	 * Return the payload converter, which reads stored records through the factory's
	 * upcasters.
	 * @return the converter
	 */
	public PayloadConverter converter() {
		return this.converter;
	}

	/**
	 * Return the names whose records are read as a record type: its own, then those that
	 * {@link RecordUpcaster upcasters} rename into it.
	 * @param qualifiedName the record type, {@code namespace:name}
	 * @return its name first, then its former names
	 */
	public List<String> namesReadAs(String qualifiedName) {
		return (this.converter instanceof UpcastingPayloadConverter upcasting) ? upcasting.namesReadAs(qualifiedName)
				: List.of(qualifiedName);
	}

	/**
	 * Return the validator that checks payloads before they become records.
	 * @return the validator
	 */
	public PayloadValidator validator() {
		return this.validator;
	}

	/**
	 * Return this service's URN.
	 * @return the source
	 */
	public String source() {
		return this.source;
	}

	/**
	 * Create a record from a payload. An {@link EventyRecord} passed as payload is kept
	 * as it is, its partition key set when it has none.
	 * @param payload the payload
	 * @param partitionKey the partition key, or {@code null}
	 * @return the record
	 * @throws InvalidRecordException if the payload is invalid
	 * @throws IllegalArgumentException if the payload's class cannot be a record type (a
	 * {@code Map}, a {@code JsonNode}: use {@link #create(String, Map, String)})
	 */
	public EventyRecord create(Object payload, @Nullable String partitionKey) {
		Objects.requireNonNull(payload, "payload must not be null");
		if (payload instanceof EventyRecord record) {
			return (record.partitionKey() != null || partitionKey == null) ? record
					: record.toBuilder().partitionKey(partitionKey).build();
		}
		RecordTypeDescriptor descriptor = this.registry.descriptorFor(payload.getClass());
		this.validator.validate(payload, descriptor);
		return build(descriptor, this.converter.toData(payload), partitionKey);
	}

	/**
	 * Create a record from a type name and data.
	 * @param qualifiedName the record type's {@code namespace:name}
	 * @param data the data
	 * @param partitionKey the partition key, or {@code null}
	 * @return the record
	 * @throws UnknownRecordTypeException if no type has that name
	 * @throws InvalidRecordException if the data does not fit the type or is invalid
	 */
	public EventyRecord create(String qualifiedName, Map<String, ?> data, @Nullable String partitionKey) {
		RecordTypeDescriptor descriptor = this.registry.require(qualifiedName);
		ObjectNode raw;
		try {
			raw = this.converter.toData(data);
		}
		catch (InvalidRecordException ex) {
			throw new InvalidRecordException(qualifiedName, ex.violations());
		}
		Object payload;
		try {
			payload = this.converter.fromSubmittedData(raw, descriptor.payloadType());
		}
		catch (PayloadConversionException ex) {
			throw new InvalidRecordException(qualifiedName, List.of(conversionViolation(ex, descriptor)));
		}
		this.validator.validate(payload, descriptor);
		return build(descriptor, this.converter.toData(payload), partitionKey);
	}

	private EventyRecord build(RecordTypeDescriptor descriptor, ObjectNode data, @Nullable String partitionKey) {
		EventyContext context = EventyContextHolder.current();
		return EventyRecord.builder(descriptor.kind())
			.namespace(descriptor.namespace())
			.name(descriptor.name())
			.version(descriptor.version())
			.source(this.source)
			.correlationId((context != null) ? context.traceId() : EventyIds.newTraceId())
			.partitionKey(partitionKey)
			.context((context != null) ? context.context() : Map.of())
			.data(data)
			.build();
	}

	private static String conversionViolation(PayloadConversionException ex, RecordTypeDescriptor descriptor) {
		String path = "data";
		String message = null;
		for (Throwable cause = ex.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
			if (cause instanceof JsonMappingException mapping) {
				StringBuilder builder = new StringBuilder("data");
				for (JsonMappingException.Reference reference : mapping.getPath()) {
					if (reference.getFieldName() != null) {
						builder.append('.').append(reference.getFieldName());
					}
					else if (reference.getIndex() >= 0) {
						builder.append('[').append(reference.getIndex()).append(']');
					}
				}
				path = builder.toString();
				message = mapping.getOriginalMessage();
				break;
			}
			if (cause.getClass().getName().startsWith("tools.jackson.")) {
				String[] described = Jackson3Errors.describe(cause);
				if (described != null) {
					path = described[0];
					message = described[1];
					break;
				}
			}
		}
		if (message == null) {
			message = rootMessage(ex);
		}
		String firstLine = message.lines().findFirst().orElse(message);
		return path + ": does not fit " + descriptor.payloadType().getName() + ": " + firstLine;
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getMessage();
		return (message != null) ? message : root.getClass().getSimpleName();
	}

}
