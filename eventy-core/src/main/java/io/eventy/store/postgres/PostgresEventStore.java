package io.eventy.store.postgres;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.eventy.record.RecordFactory;
import io.eventy.store.AppendResult;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;

/**
 * The PostgreSQL {@link EventStore}. (stub: being implemented)
 */
public final class PostgresEventStore implements EventStore {

	/**
	 * Create a store.
	 * @param dataSource the database
	 * @param settings schema and table prefix
	 * @param recordFactory builds records from payloads
	 */
	public PostgresEventStore(DataSource dataSource, PostgresStoreSettings settings, RecordFactory recordFactory) {
	}

	@Override
	public AppendResult append(StreamId stream, ExpectedVersion expected, List<?> payloads) {
		throw new UnsupportedOperationException("not yet");
	}

	@Override
	public List<StoredRecord> readStream(StreamId stream, long fromVersion) {
		throw new UnsupportedOperationException("not yet");
	}

	@Override
	public List<StoredRecord> readCategory(String streamType, long fromPosition, int limit) {
		throw new UnsupportedOperationException("not yet");
	}

	@Override
	public List<StoredRecord> readAll(long fromPosition, int limit) {
		throw new UnsupportedOperationException("not yet");
	}

	@Override
	public StoredRecord publish(Object payload) {
		throw new UnsupportedOperationException("not yet");
	}

	@Override
	public StoredRecord publish(String qualifiedName, Map<String, ?> data) {
		throw new UnsupportedOperationException("not yet");
	}

}
