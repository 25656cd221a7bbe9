package io.eventy.serializer;

import io.eventy.record.EventyRecord;

/**
 * Writes records to bytes and reads them back. The default, {@link JsonRecordSerializer},
 * speaks the Eventy 3.x JSON wire format so that Python eventy services read what Java
 * services write, and the other way round.
 */
public interface RecordSerializer {

	/**
	 * Write a record.
	 * @param record the record
	 * @return its serialized form
	 * @throws RecordSerializationException if the record cannot be written
	 */
	byte[] serialize(EventyRecord record);

	/**
	 * Read a record.
	 * @param bytes a serialized record
	 * @return the record
	 * @throws RecordSerializationException if the bytes are not a valid record, naming
	 * what is wrong
	 */
	EventyRecord deserialize(byte[] bytes);

}
