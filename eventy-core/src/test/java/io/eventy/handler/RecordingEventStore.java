package io.eventy.handler;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordFactory;
import io.eventy.store.AppendResult;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import org.jspecify.annotations.Nullable;

/**
 * Keeps what handlers publish, with the context current when they published, for tests of
 * invocation alone; subscriptions are tested against PostgreSQL.
 */
class RecordingEventStore implements EventStore {

	private final RecordFactory factory;

	private final AtomicLong positions = new AtomicLong();

	final List<Published> published = new CopyOnWriteArrayList<>();

	RecordingEventStore(RecordFactory factory) {
		this.factory = factory;
	}

	@Override
	public StoredRecord publish(Object payload) {
		EventyRecord record = this.factory.create(payload, null);
		EventyContext context = EventyContextHolder.current();
		StoredRecord stored = new StoredRecord(record, null, 0, this.positions.incrementAndGet(),
				(context != null) ? context.requestId() : null, (context != null) ? context.causationId() : null, null,
				this.factory.converter());
		this.published.add(new Published(stored, context));
		return stored;
	}

	@Override
	public StoredRecord publish(String qualifiedName, Map<String, ?> data) {
		return publish(this.factory.create(qualifiedName, data, null));
	}

	@Override
	public AppendResult append(StreamId stream, ExpectedVersion expected, List<?> payloads) {
		throw new UnsupportedOperationException("not needed by these tests");
	}

	@Override
	public List<StoredRecord> readStream(StreamId stream, long fromVersion) {
		throw new UnsupportedOperationException("not needed by these tests");
	}

	@Override
	public List<StoredRecord> readCategory(String streamType, long fromPosition, int limit) {
		throw new UnsupportedOperationException("not needed by these tests");
	}

	@Override
	public List<StoredRecord> readAll(long fromPosition, int limit) {
		throw new UnsupportedOperationException("not needed by these tests");
	}

	record Published(StoredRecord record, @Nullable EventyContext context) {
	}

}
