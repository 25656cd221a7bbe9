package io.eventy.store;

import java.util.List;
import java.util.Map;

/**
 * Appends records to streams and reads them back. One bean, the same behaviour on
 * PostgreSQL and on Kafka (where Kafka cannot answer a call correctly it throws
 * {@link UnsupportedStoreOperationException}).
 * <p>
 * Payloads are objects of {@link io.eventy.record.RecordType} classes (or plain records
 * and beans, named after their simple class name); each is validated before anything is
 * stored. Records written inside an {@link io.eventy.context.EventyContextHolder} scope
 * carry its trace id, request id and causation id.
 */
public interface EventStore {

	/**
	 * Append records to one stream, atomically.
	 * @param stream the stream
	 * @param expected the version the stream must have
	 * @param payloads the payloads, at least one
	 * @return the stored records and the new stream version
	 * @throws ConcurrencyException if the stream's version is not the expected one;
	 * nothing is stored
	 * @throws io.eventy.record.InvalidRecordException if a payload is invalid; nothing is
	 * stored
	 */
	default AppendResult append(StreamId stream, ExpectedVersion expected, Object... payloads) {
		return append(stream, expected, List.of(payloads));
	}

	/**
	 * Append records to one stream, atomically.
	 * @param stream the stream
	 * @param expected the version the stream must have
	 * @param payloads the payloads, at least one
	 * @return the stored records and the new stream version
	 * @throws ConcurrencyException if the stream's version is not the expected one;
	 * nothing is stored
	 * @throws io.eventy.record.InvalidRecordException if a payload is invalid; nothing is
	 * stored
	 */
	AppendResult append(StreamId stream, ExpectedVersion expected, List<?> payloads);

	/**
	 * Return whether the store keeps streams by version: reads a stream back
	 * ({@link #readStream(StreamId, long)}) and appends with an expected version other
	 * than {@link ExpectedVersion#any()}, as event sourcing needs. A store that does not
	 * throws {@link UnsupportedStoreOperationException} from those.
	 * @return {@code true} by default; {@code false} for the Kafka store
	 */
	default boolean supportsStreamVersions() {
		return true;
	}

	/**
	 * Read a whole stream in version order.
	 * @param stream the stream
	 * @return its records, empty when the stream does not exist
	 */
	default List<StoredRecord> readStream(StreamId stream) {
		return readStream(stream, 1);
	}

	/**
	 * Read a stream in version order from a version on.
	 * @param stream the stream
	 * @param fromVersion the first version to read, inclusive
	 * @return the records, empty when there are none
	 */
	List<StoredRecord> readStream(StreamId stream, long fromVersion);

	/**
	 * Read the records of every stream of one type in global position order.
	 * @param streamType the stream type
	 * @param fromPosition the first position to read, inclusive
	 * @param limit the most records to return
	 * @return the records
	 */
	List<StoredRecord> readCategory(String streamType, long fromPosition, int limit);

	/**
	 * Read every record in global position order.
	 * @param fromPosition the first position to read, inclusive
	 * @param limit the most records to return
	 * @return the records
	 */
	List<StoredRecord> readAll(long fromPosition, int limit);

	/**
	 * Store a record that belongs to no stream.
	 * @param payload the payload
	 * @return the stored record
	 * @throws io.eventy.record.InvalidRecordException if the payload is invalid
	 */
	StoredRecord publish(Object payload);

	/**
	 * Store a record that belongs to no stream, by record type name.
	 * @param qualifiedName the record type's {@code namespace:name}
	 * @param data the record's data
	 * @return the stored record
	 * @throws io.eventy.record.UnknownRecordTypeException if no registered type has that
	 * name
	 * @throws io.eventy.record.InvalidRecordException if the data is invalid for the type
	 */
	StoredRecord publish(String qualifiedName, Map<String, ?> data);

}
