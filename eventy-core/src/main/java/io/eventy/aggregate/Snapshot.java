package io.eventy.aggregate;

import java.util.Objects;

import io.eventy.store.StreamId;

/**
 * A stored snapshot of an aggregate's state.
 *
 * @param stream the aggregate's stream
 * @param type the aggregate type's {@linkplain AggregateType#name() name}
 * @param schemaVersion the version of the state's JSON shape
 * @param version the stream version the state includes
 * @param state the state as a JSON object
 */
public record Snapshot(StreamId stream, String type, String schemaVersion, long version, String state) {

	/**
	 * Check the values.
	 * @param stream the aggregate's stream
	 * @param type the aggregate type's name
	 * @param schemaVersion the version of the state's JSON shape
	 * @param version the stream version the state includes
	 * @param state the state as a JSON object
	 */
	public Snapshot {
		Objects.requireNonNull(stream, "stream");
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(schemaVersion, "schemaVersion");
		Objects.requireNonNull(state, "state");
		if (version < 1) {
			throw new IllegalArgumentException("A snapshot is taken at version 1 or later, not " + version);
		}
	}

	@Override
	public String toString() {
		return "snapshot of " + this.type + " " + this.stream + " at version " + this.version + " (schema "
				+ this.schemaVersion + ")";
	}

}
