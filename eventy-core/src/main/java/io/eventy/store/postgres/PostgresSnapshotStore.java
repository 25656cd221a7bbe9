package io.eventy.store.postgres;

import java.util.List;

import javax.sql.DataSource;

import io.eventy.aggregate.Snapshot;
import io.eventy.aggregate.SnapshotStore;
import io.eventy.store.StreamId;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps aggregate snapshots in the store's {@code <prefix>snapshots} table: one row per
 * stream, aggregate type and schema version, replaced by a newer snapshot and never by an
 * older one. Reads join the caller's Spring transaction; writes come from
 * {@link io.eventy.aggregate.Aggregates}' own thread, after the append committed.
 */
public final class PostgresSnapshotStore implements SnapshotStore {

	private final JdbcTemplate jdbc;

	private final String find;

	private final String save;

	/**
	 * Create the snapshot store.
	 * @param dataSource the store's database
	 * @param settings the store's schema and table prefix
	 */
	public PostgresSnapshotStore(DataSource dataSource, PostgresStoreSettings settings) {
		this.jdbc = new JdbcTemplate(dataSource);
		String table = settings.table("snapshots");
		this.find = "SELECT stream_version, state::text FROM " + table
				+ " WHERE stream_type = ? AND stream_id = ? AND snapshot_type = ? AND schema_version = ?";
		this.save = "INSERT INTO " + table
				+ " AS s (stream_type, stream_id, snapshot_type, schema_version, stream_version, state)"
				+ " VALUES (?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (stream_type, stream_id, snapshot_type, schema_version)"
				+ " DO UPDATE SET stream_version = excluded.stream_version, state = excluded.state, taken_at = now()"
				+ " WHERE s.stream_version < excluded.stream_version";
	}

	@Override
	public @Nullable Snapshot find(StreamId stream, String type, String schemaVersion) {
		List<Snapshot> found = this.jdbc.query(this.find,
				(row, index) -> new Snapshot(stream, type, schemaVersion, row.getLong(1), row.getString(2)),
				stream.type(), stream.id(), type, schemaVersion);
		return found.isEmpty() ? null : found.get(0);
	}

	@Override
	public void save(Snapshot snapshot) {
		this.jdbc.update(this.save, snapshot.stream().type(), snapshot.stream().id(), snapshot.type(),
				snapshot.schemaVersion(), snapshot.version(), snapshot.state());
	}

}
