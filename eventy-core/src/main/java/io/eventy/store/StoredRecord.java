package io.eventy.store;

import java.util.Objects;

import io.eventy.record.EventyRecord;
import io.eventy.record.PayloadConverter;
import org.jspecify.annotations.Nullable;

/**
 * A record as a store holds it: the {@link EventyRecord} envelope plus store metadata.
 */
public final class StoredRecord {

	private final EventyRecord record;

	private final @Nullable StreamId stream;

	private final long streamVersion;

	private final long position;

	private final @Nullable String requestId;

	private final @Nullable String causationId;

	private final @Nullable String traceparent;

	private final PayloadConverter converter;

	/**
	 * Create a stored record; called by stores.
	 * @param record the envelope
	 * @param stream the stream, or {@code null} for a published record
	 * @param streamVersion the version within the stream, {@code 0} for a published
	 * record
	 * @param position the global position in the store
	 * @param requestId the id of the request that caused the record, or {@code null}
	 * @param causationId the uuid of the record whose handling emitted it, or
	 * {@code null}
	 * @param traceparent the W3C trace parent when the record was written, or
	 * {@code null}
	 * @param converter reads {@link #payload(Class)}
	 */
	public StoredRecord(EventyRecord record, @Nullable StreamId stream, long streamVersion, long position,
			@Nullable String requestId, @Nullable String causationId, @Nullable String traceparent,
			PayloadConverter converter) {
		this.record = Objects.requireNonNull(record, "record");
		this.stream = stream;
		this.streamVersion = streamVersion;
		this.position = position;
		this.requestId = requestId;
		this.causationId = causationId;
		this.traceparent = traceparent;
		this.converter = Objects.requireNonNull(converter, "converter");
	}

	/**
	 * Return the envelope.
	 * @return the record
	 */
	public EventyRecord record() {
		return this.record;
	}

	/**
	 * Return the stream the record belongs to.
	 * @return the stream, or {@code null} for a published record
	 */
	public @Nullable StreamId stream() {
		return this.stream;
	}

	/**
	 * Return the record's version in its stream, from 1.
	 * @return the stream version, {@code 0} for a published record
	 */
	public long streamVersion() {
		return this.streamVersion;
	}

	/**
	 * Return the record's global position in the store.
	 * @return the position
	 */
	public long position() {
		return this.position;
	}

	/**
	 * Return the id of the request that caused the record.
	 * @return the request id, or {@code null}
	 */
	public @Nullable String requestId() {
		return this.requestId;
	}

	/**
	 * Return the uuid of the record whose handling emitted this one.
	 * @return the causation id, or {@code null}
	 */
	public @Nullable String causationId() {
		return this.causationId;
	}

	/**
	 * Return the W3C {@code traceparent} current when the record was written.
	 * @return the trace parent, or {@code null}
	 */
	public @Nullable String traceparent() {
		return this.traceparent;
	}

	/**
	 * Read the record's data as a payload type. A record stored at an older major version
	 * than the type declares is read through the application's
	 * {@link io.eventy.record.RecordUpcaster}s.
	 * @param <T> the payload type
	 * @param type the payload type
	 * @return the payload
	 * @throws io.eventy.record.PayloadConversionException if the data does not fit, or an
	 * upcaster it needs is missing
	 */
	public <T> T payload(Class<T> type) {
		return this.converter.fromRecord(this.record, type);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other) || (other instanceof StoredRecord that && this.position == that.position
				&& this.record.uuid().equals(that.record.uuid()));
	}

	@Override
	public int hashCode() {
		return this.record.uuid().hashCode();
	}

	@Override
	public String toString() {
		return "StoredRecord[" + this.record.qualifiedName() + " " + this.record.uuid() + ", stream=" + this.stream
				+ ", version=" + this.streamVersion + ", position=" + this.position + "]";
	}

}
