package io.eventy.store.postgres;

import java.util.List;

import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.RowMapperResultSetExtractor;

/**
 * The store's reads: a stream by version, a category or all records by position. They run
 * through {@link JdbcOperations}, so they join the caller's Spring transaction when one
 * is bound to the store's {@code DataSource}.
 */
final class RecordQueries {

	/** The most records a read makes room for before it has read them. */
	private static final int MAX_PRESIZED = 1024;

	/** The number of versions a stream's read makes room for at first. */
	private static final int STREAM_PRESIZED = 16;

	private final JdbcOperations jdbc;

	private final RecordSql sql;

	private final RecordRows rows;

	private final RowMapper<StoredRecord> anyStream;

	RecordQueries(JdbcOperations jdbc, RecordSql sql, RecordRows rows) {
		this.jdbc = jdbc;
		this.sql = sql;
		this.rows = rows;
		this.anyStream = (result, rowNum) -> rows.read(result, null);
	}

	/**
	 * Read a stream's records in version order.
	 * @param stream the stream
	 * @param fromVersion the first version to read
	 * @return the records
	 */
	List<StoredRecord> readStream(StreamId stream, long fromVersion) {
		return query(this.sql.readStream(), (statement) -> {
			statement.setString(1, stream.type());
			statement.setString(2, stream.id());
			statement.setLong(3, fromVersion);
		}, (result, rowNum) -> this.rows.read(result, stream), STREAM_PRESIZED);
	}

	/**
	 * Read the records of one stream type in position order.
	 * @param streamType the stream type
	 * @param fromPosition the first position to read
	 * @param limit how many records to read at the most
	 * @return the records
	 */
	List<StoredRecord> readCategory(String streamType, long fromPosition, int limit) {
		return query(this.sql.readCategory(), (statement) -> {
			statement.setString(1, streamType);
			statement.setLong(2, fromPosition);
			statement.setInt(3, limit);
		}, this.anyStream, Math.min(limit, MAX_PRESIZED));
	}

	/**
	 * Read all records in position order.
	 * @param fromPosition the first position to read
	 * @param limit how many records to read at the most
	 * @return the records
	 */
	List<StoredRecord> readAll(long fromPosition, int limit) {
		return query(this.sql.readAll(), (statement) -> {
			statement.setLong(1, fromPosition);
			statement.setInt(2, limit);
		}, this.anyStream, Math.min(limit, MAX_PRESIZED));
	}

	private List<StoredRecord> query(String sql, PreparedStatementSetter parameters, RowMapper<StoredRecord> mapper,
			int expectedSize) {
		List<StoredRecord> records = this.jdbc.query(sql, parameters,
				new RowMapperResultSetExtractor<>(mapper, expectedSize));
		return (records != null) ? records : List.of();
	}

}
