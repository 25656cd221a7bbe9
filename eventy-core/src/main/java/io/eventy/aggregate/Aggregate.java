package io.eventy.aggregate;

import java.util.Objects;

import io.eventy.store.StreamId;

/**
 * An aggregate as loaded or saved: its state at a version of its stream.
 *
 * @param <T> the aggregate's class
 * @param type how the aggregate applies payloads
 * @param stream its stream
 * @param version the stream version its state includes, {@code 0} when the stream has no
 * record yet
 * @param state the state
 */
public record Aggregate<T>(AggregateType<T> type, StreamId stream, long version, T state) {

	/**
	 * Check the values.
	 * @param type how the aggregate applies payloads
	 * @param stream its stream
	 * @param version the stream version its state includes
	 * @param state the state
	 */
	public Aggregate {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(stream, "stream");
		Objects.requireNonNull(state, "state");
		if (version < 0) {
			throw new IllegalArgumentException("An aggregate's version is 0 or more, not " + version);
		}
	}

	/**
	 * Return whether the stream had no record when the aggregate was loaded.
	 * @return {@code true} for a new aggregate
	 */
	public boolean isNew() {
		return this.version == 0;
	}

}
