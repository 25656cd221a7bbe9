package io.eventy.aggregate;

import io.eventy.store.StreamId;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link Aggregates} keeps snapshots: on PostgreSQL the store's
 * {@code <prefix>snapshots} table.
 */
public interface SnapshotStore {

	/**
	 * Return the newest snapshot of an aggregate under a schema version.
	 * @param stream the aggregate's stream
	 * @param type the aggregate type's name
	 * @param schemaVersion the schema version of the state
	 * @return the snapshot, or {@code null} when there is none
	 */
	@Nullable Snapshot find(StreamId stream, String type, String schemaVersion);

	/**
	 * Keep a snapshot, unless one of a later version is kept already.
	 * @param snapshot the snapshot
	 */
	void save(Snapshot snapshot);

}
