package io.eventy.store.postgres;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The SQL text of the store's statements, built once from validated identifiers.
 * <p>
 * An append is one statement: a common table expression moves the stream's version
 * (checking the expected one), inserts every record joined to the moved version, and
 * sends one notification; the result holds the new positions. Zero rows back means the
 * version check failed and nothing was inserted.
 */
final class RecordSql {

	/** The most records one statement inserts (17 parameters each, 65535 at most). */
	static final int MAX_ROWS_PER_STATEMENT = 1000;

	/** Statements for up to this many records are kept once built. */
	private static final int MAX_CACHED_ROWS = 128;

	/** The per-record parameters of the {@code VALUES} rows, in order. */
	static final int PARAMETERS_PER_ROW = 17;

	/** The columns every read returns, in this order. */
	private static final String READ_COLUMNS = "position, uuid, stream_type, stream_id, stream_version, kind, "
			+ "namespace, name, protocol_version, version, source, correlation_id, partition_key, request_id, "
			+ "causation_id, traceparent, recorded_at, context, data, destination, request_uuid, ok, error_code, "
			+ "error_message";

	/**
	 * The inserted columns: per append, then per record (as {@link #VALUES_ROW}), then
	 * the version.
	 */
	private static final String INSERT_COLUMNS = "stream_type, stream_id, request_id, causation_id, traceparent, "
			+ "uuid, kind, namespace, name, protocol_version, version, source, correlation_id, partition_key, "
			+ "recorded_at, context, data, destination, request_uuid, ok, error_code, error_message, stream_version";

	private static final String VALUES_ROW = "?::uuid, ?, ?, ?, ?, ?, ?, ?, ?, ?::timestamptz, ?::jsonb, ?::jsonb, ?, "
			+ "?::uuid, ?::boolean, ?::integer, ?)";

	/**
	 * How an insert treats the stream's version.
	 */
	enum Mode {

		/** Create the stream or move its version, whatever it was. */
		ANY,

		/** Create the stream; nothing is inserted when it exists. */
		NO_STREAM,

		/** Move the version only from the expected one. */
		EXACTLY,

		/** A record of no stream. */
		PUBLISH

	}

	private final String records;

	private final String streams;

	private final String channel;

	private final String readStream;

	private final String readCategory;

	private final String readAll;

	private final String streamVersion;

	private final ConcurrentMap<Integer, String> inserts = new ConcurrentHashMap<>();

	RecordSql(PostgresStoreSettings settings) {
		this.records = settings.table("records");
		this.streams = settings.table("streams");
		this.channel = settings.notificationChannel();
		String select = "SELECT " + READ_COLUMNS + " FROM " + this.records;
		this.readStream = select
				+ " WHERE stream_type = ? AND stream_id = ? AND stream_version >= ? ORDER BY stream_version";
		this.readCategory = select + " WHERE stream_type = ? AND position >= ? ORDER BY position LIMIT ?";
		this.readAll = select + " WHERE position >= ? ORDER BY position LIMIT ?";
		this.streamVersion = "SELECT coalesce(max(stream_version), 0) FROM " + this.records
				+ " WHERE stream_type = ? AND stream_id = ?";
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
	 * Return the statement that inserts records. Its parameters, in order: for a stream,
	 * the stream type and id (then the expected version for {@link Mode#EXACTLY}); then
	 * stream type, stream id, request id, causation id and traceparent; then
	 * {@value #PARAMETERS_PER_ROW} per record. It returns {@code position} and
	 * {@code stream_version} per inserted record, in record order.
	 * @param mode how the stream's version is treated
	 * @param rows the number of records
	 * @return the SQL
	 */
	String insert(Mode mode, int rows) {
		if (rows > MAX_CACHED_ROWS) {
			return buildInsert(mode, rows);
		}
		return this.inserts.computeIfAbsent(mode.ordinal() * (MAX_CACHED_ROWS + 1) + rows,
				(key) -> buildInsert(mode, rows));
	}

	private String buildInsert(Mode mode, int rows) {
		StringBuilder sql = new StringBuilder(512 + rows * 100);
		switch (mode) {
			case ANY -> sql.append("WITH stream AS (INSERT INTO ")
				.append(this.streams)
				.append(" AS s (stream_type, stream_id, version) VALUES (?, ?, ")
				.append(rows)
				.append(") ON CONFLICT (stream_type, stream_id) DO UPDATE SET version = s.version + ")
				.append(rows)
				.append(" RETURNING s.version - ")
				.append(rows)
				.append(" AS base) ");
			case NO_STREAM -> sql.append("WITH stream AS (INSERT INTO ")
				.append(this.streams)
				.append(" (stream_type, stream_id, version) VALUES (?, ?, ")
				.append(rows)
				.append(") ON CONFLICT (stream_type, stream_id) DO NOTHING RETURNING 0::bigint AS base) ");
			case EXACTLY -> sql.append("WITH stream AS (UPDATE ")
				.append(this.streams)
				.append(" SET version = version + ")
				.append(rows)
				.append(" WHERE stream_type = ? AND stream_id = ? AND version = ? RETURNING version - ")
				.append(rows)
				.append(" AS base) ");
			case PUBLISH -> {
			}
		}
		sql.append("INSERT INTO ").append(this.records).append(" (").append(INSERT_COLUMNS).append(") ");
		String version = (mode != Mode.PUBLISH) ? "stream.base + " + ((rows == 1) ? "1" : "r.ord") : "NULL::bigint";
		if (rows == 1) {
			// one record: its parameters straight in the select list, the cheapest plan
			sql.append("SELECT ?, ?, ?, ?, ?, ")
				.append(VALUES_ROW, 0, VALUES_ROW.length() - 1)
				.append(", ")
				.append(version);
			if (mode != Mode.PUBLISH) {
				sql.append(" FROM stream");
			}
		}
		else {
			sql.append("SELECT ?, ?, ?, ?, ?, r.uuid, r.kind, r.namespace, r.name, r.protocol_version, r.version, ")
				.append("r.source, r.correlation_id, r.partition_key, r.recorded_at, r.context, r.data, r.destination, ")
				.append("r.request_uuid, r.ok, r.error_code, r.error_message, ")
				.append(version)
				.append(" FROM ");
			if (mode != Mode.PUBLISH) {
				sql.append("stream, ");
			}
			sql.append("(VALUES ");
			for (int row = 1; row <= rows; row++) {
				if (row > 1) {
					sql.append(", ");
				}
				sql.append('(').append(row).append(", ").append(VALUES_ROW);
			}
			sql.append(") AS r (ord, uuid, kind, namespace, name, protocol_version, version, source, ")
				.append("correlation_id, partition_key, recorded_at, context, data, destination, request_uuid, ok, ")
				.append("error_code, error_message) ORDER BY r.ord");
		}
		// one notification per transaction: PostgreSQL folds identical ones; the
		// uncorrelated subquery runs once, and only when a record was inserted
		sql.append(" RETURNING position, stream_version, (SELECT pg_notify('").append(this.channel).append("', ''))");
		return sql.toString();
	}

}
