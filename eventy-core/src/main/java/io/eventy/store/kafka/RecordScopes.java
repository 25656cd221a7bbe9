package io.eventy.store.kafka;

import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.store.StoredRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Keeps the context of the record a subscription's consumer works on current on the
 * consumer thread, from when the container intercepts the record until it is done with
 * it: the handler call, Spring Kafka's error handler with its retries and dead-letter
 * recoverer (or the after-rollback processor of a transaction), and the container's own
 * lines about the record. Every line logged about the record, Eventy's and Spring
 * Kafka's, carries its trace and request ids
 * ({@link EventyContext#ofRecord(String, String, String)}).
 * <p>
 * The record is decoded once, here; the listener takes it from {@link #read}. A value
 * that is no Eventy record is in the scope of the ids it still carries
 * ({@link KafkaRecordMapper#contextOfUnreadable}), or of none, and the listener's own
 * decoding throws for the error handler.
 */
final class RecordScopes implements RecordInterceptor<String, byte[]> {

	private final KafkaRecordMapper mapper;

	private final ThreadLocal<Current> current = new ThreadLocal<>();

	RecordScopes(KafkaRecordMapper mapper) {
		this.mapper = mapper;
	}

	@Override
	public ConsumerRecord<String, byte[]> intercept(ConsumerRecord<String, byte[]> record,
			Consumer<String, byte[]> consumer) {
		close();
		StoredRecord stored;
		EventyContext context;
		try {
			stored = this.mapper.toStoredRecord(record);
			context = EventyContext.ofRecord(stored.record().correlationId(), stored.requestId(),
					stored.record().uuid().toString());
		}
		catch (RuntimeException ex) {
			// no Eventy record: the listener's decoding throws it for the error handler
			stored = null;
			context = this.mapper.contextOfUnreadable(record);
		}
		EventyContextHolder.Scope scope = (context != null) ? EventyContextHolder.open(context) : null;
		this.current.set(new Current(record, stored, scope));
		return record;
	}

	@Override
	public void afterRecord(ConsumerRecord<String, byte[]> record, Consumer<String, byte[]> consumer) {
		close();
	}

	@Override
	public void clearThreadState(Consumer<?, ?> consumer) {
		close();
	}

	/**
	 * Decode a record, or take it as decoded when it was intercepted.
	 * @param record the consumed record
	 * @return the stored record
	 * @throws io.eventy.serializer.RecordSerializationException if the value is not an
	 * Eventy record
	 */
	StoredRecord read(ConsumerRecord<String, byte[]> record) {
		StoredRecord stored = decoded(record);
		return (stored != null) ? stored : this.mapper.toStoredRecord(record);
	}

	/**
	 * Return a record as decoded when it was intercepted on this thread.
	 * @param record the consumed record
	 * @return the stored record, or {@code null} when it is not the current record or no
	 * Eventy record
	 */
	@Nullable StoredRecord decoded(ConsumerRecord<?, ?> record) {
		Current current = this.current.get();
		return (current != null && current.record() == record) ? current.stored() : null;
	}

	private void close() {
		Current current = this.current.get();
		if (current != null) {
			this.current.remove();
			if (current.scope() != null) {
				current.scope().close();
			}
		}
	}

	/**
	 * The record a consumer thread works on.
	 *
	 * @param record the consumed record
	 * @param stored the record decoded, or {@code null} when it is no Eventy record
	 * @param scope the scope of its context, or {@code null} when it carries no ids
	 */
	private record Current(ConsumerRecord<?, ?> record, @Nullable StoredRecord stored,
			EventyContextHolder.@Nullable Scope scope) {
	}

}
