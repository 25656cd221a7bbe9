package io.eventy.store.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The SQL text of the store's statements, built once from validated identifiers.
 * <p>
 * An append is one statement that finds the stream's version its records follow and
 * inserts them with the versions after it; it returns the new positions. The unique key
 * on the stream version is the concurrency check: a record whose version another
 * transaction stored first (once that transaction has ended) fails the statement or, in
 * the caller's transaction, is left out ({@code ON CONFLICT DO NOTHING}) so that the
 * transaction stays usable.
 */
final class RecordSql {

	/** The most records one statement inserts (17 parameters each, 65535 at most). */
	static final int MAX_ROWS_PER_STATEMENT = 1000;

	/** Statements for up to this many records are kept once built. */
	private static final int MAX_CACHED_ROWS = 128;

	/** The most parameters of one record (with the columns of a response). */
	static final int PARAMETERS_PER_ROW = 17;

	/** The columns every read returns, in this order. */
	private static final String READ_COLUMNS = "position, uuid, stream_type, stream_id, stream_version, kind, "
			+ "namespace, name, protocol_version, version, source, correlation_id, partition_key, request_id, "
			+ "causation_id, traceparent, recorded_at, context, data, destination, request_uuid, ok, error_code, "
			+ "error_message";

	/**
	 * The inserted columns of every record, in the order {@link RecordRows} binds them.
	 */
	private static final List<String> RECORD_COLUMNS = List.of("uuid", "kind", "namespace", "name", "protocol_version",
			"version", "source", "correlation_id", "partition_key", "recorded_at", "context", "data");

	private static final String RECORD_VALUES = "?::uuid, ?, ?, ?, ?, ?, ?, ?, ?, ?::timestamptz, ?::jsonb, ?::jsonb";

	/**
	 * The columns only a response fills, after {@link #RECORD_COLUMNS}; left out (so
	 * {@code NULL}) when no record of an insert is a response.
	 */
	private static final List<String> RESPONSE_COLUMNS = List.of("destination", "request_uuid", "ok", "error_code",
			"error_message");

	private static final String RESPONSE_VALUES = "?, ?::uuid, ?::boolean, ?::integer, ?";

	/**
	 * Which version an insert's records follow.
	 */
	enum Mode {

		/** The stream's last version, whatever it is. */
		ANY,

		/** None: the records start the stream. */
		NO_STREAM,

		/** The expected version, only if the stream has it. */
		EXACTLY,

		/** A record of no stream. */
		PUBLISH

	}

	private final String records;

	private final String readStream;

	private final String readCategory;

	private final String readAll;

	private final String streamVersion;

	private final String deleteInserted;

	private final ConcurrentMap<Integer, String> inserts = new ConcurrentHashMap<>();

	RecordSql(PostgresStoreSettings settings) {
		this.records = settings.table("records");
		String select = "SELECT " + READ_COLUMNS + " FROM " + this.records;
		this.readStream = select
				+ " WHERE stream_type = ? AND stream_id = ? AND stream_version >= ? ORDER BY stream_version";
		this.readCategory = select + " WHERE stream_type = ? AND position >= ? ORDER BY position LIMIT ?";
		this.readAll = select + " WHERE position >= ? ORDER BY position LIMIT ?";
		this.streamVersion = "SELECT coalesce(max(stream_version), 0) FROM " + this.records
				+ " WHERE stream_type = ? AND stream_id = ?";
		this.deleteInserted = "DELETE FROM " + this.records + " WHERE position = ANY (?)";
	}

	String readStream() {
		return this.readStream;
	}

	String readCategory() {
		return this.readCategory;
	}

	String readAll() {
		return this.readAll;
	}

	/**
	 * Return the query of a stream's last stored version.
	 * @return SQL with parameters stream type and stream id
	 */
	String streamVersion() {
		return this.streamVersion;
	}

	/**
	 * Return the statement that deletes records by position: an append that lost a race
	 * part way takes back what it inserted in the caller's transaction.
	 * @return SQL with one parameter, an array of positions
	 */
	String deleteInserted() {
		return this.deleteInserted;
	}

	/**
	 * Return the statement that inserts records. Its parameters, in order: for
	 * {@link Mode#ANY} the stream type and id, for {@link Mode#EXACTLY} the stream type,
	 * id and expected version; then stream type, stream id, request id, causation id and
	 * traceparent; then per record what {@link RecordRows#bind} binds. It returns
	 * {@code position} and {@code stream_version} per inserted record, in record order;
	 * none when the expected version did not exist. A version another transaction stored
	 * first fails the statement on the unique key or, when conflicts are skipped, leaves
	 * its record out (then fewer rows come back than records were given).
	 * @param mode which version the records follow
	 * @param rows the number of records
	 * @param skipConflicts whether a version already taken leaves its record out
	 * ({@code ON CONFLICT DO NOTHING}, for the caller's transaction, which an error would
	 * abort) rather than failing the statement
	 * @param responses whether the columns of a response are inserted
	 * @return the SQL
	 */
	String insert(Mode mode, int rows, boolean skipConflicts, boolean responses) {
		if (rows > MAX_CACHED_ROWS) {
			return buildInsert(mode, rows, skipConflicts, responses);
		}
		int key = ((mode.ordinal() * (MAX_CACHED_ROWS + 1) + rows) << 2) | (skipConflicts ? 1 : 0)
				| (responses ? 2 : 0);
		return this.inserts.computeIfAbsent(key, (k) -> buildInsert(mode, rows, skipConflicts, responses));
	}

	private String buildInsert(Mode mode, int rows, boolean skipConflicts, boolean responses) {
		List<String> columns = new ArrayList<>(RECORD_COLUMNS);
		String values = RECORD_VALUES;
		if (responses) {
			columns.addAll(RESPONSE_COLUMNS);
			values += ", " + RESPONSE_VALUES;
		}
		StringBuilder sql = new StringBuilder(512 + rows * 100);
		// the version the records follow: one index lookup on the unique key, no row
		// when the expected version is not there (a plain SELECT in a CTE is inlined)
		switch (mode) {
			case ANY -> sql.append("WITH stream AS (SELECT coalesce(max(stream_version), 0) AS base FROM ")
				.append(this.records)
				.append(" WHERE stream_type = ? AND stream_id = ?) ");
			case EXACTLY -> sql.append("WITH stream AS (SELECT stream_version AS base FROM ")
				.append(this.records)
				.append(" WHERE stream_type = ? AND stream_id = ? AND stream_version = ?) ");
			case NO_STREAM, PUBLISH -> {
			}
		}
		sql.append("INSERT INTO ")
			.append(this.records)
			.append(" (stream_type, stream_id, request_id, causation_id, traceparent, ")
			.append(String.join(", ", columns))
			.append(", stream_version) SELECT ?, ?, ?, ?, ?, ");
		String ordinal = (rows == 1) ? "1" : "r.ord";
		String version = switch (mode) {
			case ANY, EXACTLY -> "stream.base + " + ordinal;
			case NO_STREAM -> ordinal + "::bigint";
			case PUBLISH -> "NULL::bigint";
		};
		String stream = (mode == Mode.ANY || mode == Mode.EXACTLY) ? "stream" : null;
		if (rows == 1) {
			// one record: its parameters straight in the select list, the cheapest plan
			sql.append(values).append(", ").append(version);
			if (stream != null) {
				sql.append(" FROM ").append(stream);
			}
		}
		else {
			for (String column : columns) {
				sql.append("r.").append(column).append(", ");
			}
			sql.append(version).append(" FROM ");
			if (stream != null) {
				sql.append(stream).append(", ");
			}
			sql.append("(VALUES ");
			for (int row = 1; row <= rows; row++) {
				if (row > 1) {
					sql.append(", ");
				}
				sql.append('(').append(row).append(", ").append(values).append(')');
			}
			sql.append(") AS r (ord, ").append(String.join(", ", columns)).append(") ORDER BY r.ord");
		}
		if (skipConflicts && mode != Mode.PUBLISH) {
			sql.append(" ON CONFLICT (stream_type, stream_id, stream_version) DO NOTHING");
		}
		sql.append(" RETURNING position, stream_version");
		return sql.toString();
	}

}
