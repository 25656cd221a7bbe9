package io.eventy.aggregate;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.eventy.store.StreamId;

/**
 * An aggregate type with another snapshot policy; everything else is the wrapped type's.
 */
final class SnapshottingAggregateType<T> implements AggregateType<T> {

	private final AggregateType<T> type;

	private final Snapshots snapshots;

	SnapshottingAggregateType(AggregateType<T> type, Snapshots snapshots) {
		this.type = (type instanceof SnapshottingAggregateType<T> configured) ? configured.type : type;
		this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
	}

	@Override
	public String name() {
		return this.type.name();
	}

	@Override
	public Class<T> stateType() {
		return this.type.stateType();
	}

	@Override
	public Set<Class<?>> payloadTypes() {
		return this.type.payloadTypes();
	}

	@Override
	public T create(StreamId stream) {
		return this.type.create(stream);
	}

	@Override
	public T apply(T aggregate, Object payload) {
		return this.type.apply(aggregate, payload);
	}

	@Override
	public List<?> takePending(T aggregate) {
		return this.type.takePending(aggregate);
	}

	@Override
	public Snapshots snapshots() {
		return this.snapshots;
	}

	@Override
	public String toString() {
		return this.type + " with snapshots every " + this.snapshots.every() + " records";
	}

}
