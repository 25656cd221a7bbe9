package io.eventy.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Converts payload objects to a record's {@code data} object and back, with the
 * application's JSON settings.
 */
public interface PayloadConverter {

	/**
	 * Write a payload as a JSON object.
	 * @param payload the payload
	 * @return its {@code data} object
	 * @throws InvalidRecordException if the payload does not serialize to a JSON object
	 */
	ObjectNode toData(Object payload);

	/**
	 * Read a record's {@code data} as a payload type.
	 * @param <T> the payload type
	 * @param data the record's data
	 * @param type the payload type
	 * @return the payload
	 * @throws PayloadConversionException if the data does not fit the type
	 */
	<T> T fromData(JsonNode data, Class<T> type);

	/**
	 * Read data submitted by name, for example through
	 * {@code EventStore.publish(qualifiedName, data)}, as a payload type, refusing what
	 * {@link #fromData(JsonNode, Class)} lets pass for the sake of old records: a
	 * property the type does not have, a {@code null} for a primitive (or, for a Java
	 * record, a missing primitive). The default applies no extra check.
	 * @param <T> the payload type
	 * @param data the submitted data
	 * @param type the payload type
	 * @return the payload
	 * @throws PayloadConversionException if the data does not fit the type
	 */
	default <T> T fromSubmittedData(JsonNode data, Class<T> type) {
		return fromData(data, type);
	}

	/**
	 * Read a stored record's data as a payload type. The default reads
	 * {@code record.data()} with {@link #fromData(JsonNode, Class)};
	 * {@link UpcastingPayloadConverter} first brings the data of an older major version
	 * to the class's.
	 * @param <T> the payload type
	 * @param record the record
	 * @param type the payload type
	 * @return the payload
	 * @throws PayloadConversionException if the data does not fit the type
	 */
	default <T> T fromRecord(EventyRecord record, Class<T> type) {
		return fromData(record.data(), type);
	}

}
