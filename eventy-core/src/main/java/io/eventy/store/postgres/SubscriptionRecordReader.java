package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.record.EventyRecord;
import io.eventy.record.PayloadConverter;
import io.eventy.record.RecordKind;
import io.eventy.record.RecordTypeDescriptor;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import org.jspecify.annotations.Nullable;

/**
 * Reads the records after a checkpoint without ever skipping one: in (transaction id,
 * position) order, and only from transactions older than the oldest one still running
 * ({@code pg_snapshot_xmin(pg_current_snapshot())}). A transaction that commits after a
 * younger one did is still running while the younger one's records are hidden, so its
 * records are read before them, never passed over. Nothing is ever decided from elapsed
 * time.
 */
final class SubscriptionRecordReader {

	private static final List<String> COLUMN_NAMES = List.of("position", "uuid", "stream_type", "stream_id",
			"stream_version", "kind", "namespace", "name", "protocol_version", "version", "source", "correlation_id",
			"partition_key", "request_id", "causation_id", "traceparent", "recorded_at", "context", "data",
			"destination", "request_uuid", "ok", "error_code", "error_message");

	/** The record columns every read returns. */
	static final String COLUMNS = columns("");

	private static final TypeReference<Map<String, Object>> CONTEXT_TYPE = new TypeReference<>() {
	};

	private static final ObjectMapper objectMapper = new ObjectMapper();

	private final ObjectReader treeReader = objectMapper.readerFor(JsonNode.class);

	private final ObjectReader contextReader = objectMapper.readerFor(CONTEXT_TYPE);

	private final PayloadConverter converter;

	/**
	 * The segment of a record: a hash of its stream, else of its partition key, else of
	 * its uuid. {@code hashtextextended} is the function PostgreSQL's hash partitioning
	 * relies on, so it keeps its values across versions and upgrades.
	 */
	static final String SEGMENT_OF_RECORD = "(hashtextextended(coalesce(stream_type || '/' || stream_id, "
			+ "partition_key, uuid::text), 0) & 9223372036854775807) % ?";

	/** The read statements: every record, of one type; in one segment or all. */
	private final String[] reads = new String[4];

	private final RecordHead head;

	SubscriptionRecordReader(PostgresStoreSettings settings, PayloadConverter converter) {
		this.converter = converter;
		String records = settings.table("records");
		String read = "SELECT h.horizon::text AS horizon_text, r.* FROM "
				+ "(SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon) h LEFT JOIN LATERAL (SELECT " + COLUMNS
				+ ", transaction_id FROM " + records
				+ " WHERE (transaction_id, position) > (?::xid8, ?) AND transaction_id < h.horizon%s%s"
				+ " ORDER BY transaction_id, position LIMIT ?) r ON true ORDER BY r.transaction_id, r.position";
		String typed = " AND namespace = ? AND name = ?";
		String segmented = " AND " + SEGMENT_OF_RECORD + " = ?";
		this.reads[0] = read.formatted("", "");
		this.reads[1] = read.formatted(typed, "");
		this.reads[2] = read.formatted("", segmented);
		this.reads[3] = read.formatted(typed, segmented);
		this.head = new RecordHead(settings);
	}

	/**
	 * Return the record columns {@link #map(ResultSet)} reads, of a table alias.
	 * @param alias the alias and a dot, or empty
	 * @return the column list
	 */
	static String columns(String alias) {
		StringBuilder columns = new StringBuilder();
		for (String column : COLUMN_NAMES) {
			columns.append(alias).append(column).append(", ");
		}
		return columns.append(alias).append("transaction_id::text AS transaction_text").toString();
	}

	/**
	 * Read the next records after a key.
	 * @param connection the connection
	 * @param after the key of the last record done with
	 * @param limit the most records to read
	 * @param type the only record type to read, or {@code null} for every record
	 * @param segment the segment whose records to read
	 * @return the records, and how far the read looked
	 * @throws SQLException if the database fails
	 */
	Batch read(Connection connection, RecordKey after, int limit, @Nullable RecordTypeDescriptor type, Segment segment)
			throws SQLException {
		List<ReadRecord> records = new ArrayList<>(Math.min(limit, 1024));
		String horizon = null;
		String sql = this.reads[((type != null) ? 1 : 0) + (segment.whole() ? 0 : 2)];
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			after.bind(statement, 1);
			int index = 3;
			if (type != null) {
				statement.setString(index++, type.namespace());
				statement.setString(index++, type.name());
			}
			if (!segment.whole()) {
				statement.setInt(index++, segment.count());
				statement.setInt(index++, segment.index());
			}
			statement.setInt(index, limit);
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					horizon = result.getString("horizon_text");
					if (result.getObject("position") != null) {
						records.add(map(result));
					}
				}
			}
		}
		boolean full = records.size() >= limit;
		RecordKey last = records.isEmpty() ? after : records.get(records.size() - 1).key();
		RecordKey seen = last;
		if (!full && (type != null || !segment.whole()) && horizon != null) {
			// nothing of the type or segment is left below the horizon: other records up
			// to it need not be read again (and the segments of a subscription meet
			// there)
			seen = RecordKey.max(last, this.head.below(connection, horizon));
		}
		return new Batch(records, seen, full);
	}

	/**
	 * Map a row with {@link #COLUMNS}; a row that is not a valid record is returned with
	 * the reason instead of its record.
	 * @param result the row
	 * @return the record
	 * @throws SQLException if a column cannot be read
	 */
	ReadRecord map(ResultSet result) throws SQLException {
		long position = result.getLong("position");
		RecordKey key = RecordKey.of(result.getString("transaction_text"), position);
		String qualifiedName = result.getString("namespace") + ":" + result.getString("name");
		UUID uuid = result.getObject("uuid", UUID.class);
		String correlationId = result.getString("correlation_id");
		String requestId = result.getString("request_id");
		try {
			return new ReadRecord(key, qualifiedName, uuid, correlationId, requestId, storedRecord(result, position),
					null);
		}
		catch (RuntimeException | java.io.IOException ex) {
			return new ReadRecord(key, qualifiedName, uuid, correlationId, requestId, null,
					"Record at position " + position + " cannot be read: " + ex);
		}
	}

	private StoredRecord storedRecord(ResultSet result, long position) throws SQLException, java.io.IOException {
		JsonNode data = this.treeReader.readValue(result.getString("data"));
		Map<String, Object> context = this.contextReader.readValue(result.getString("context"));
		Boolean ok = (Boolean) result.getObject("ok");
		Integer errorCode = (Integer) result.getObject("error_code");
		EventyRecord record = new EventyRecord(RecordKind.valueOf(result.getString("kind")),
				result.getString("namespace"), result.getString("name"), result.getString("protocol_version"),
				result.getString("version"), result.getString("source"), result.getObject("uuid", UUID.class),
				result.getString("correlation_id"), result.getString("partition_key"),
				result.getObject("recorded_at", OffsetDateTime.class).toInstant(), context,
				(data instanceof ObjectNode object) ? object : objectMapper.createObjectNode(),
				result.getString("destination"), result.getObject("request_uuid", UUID.class), ok, errorCode,
				result.getString("error_message"));
		if (!(data instanceof ObjectNode)) {
			throw new IllegalStateException("data is not a JSON object");
		}
		String streamType = result.getString("stream_type");
		String streamId = result.getString("stream_id");
		StreamId stream = (streamType != null && streamId != null) ? StreamId.of(streamType, streamId) : null;
		return new StoredRecord(record, stream, (stream != null) ? result.getLong("stream_version") : 0, position,
				result.getString("request_id"), result.getString("causation_id"), result.getString("traceparent"),
				this.converter);
	}

	/**
	 * One read.
	 *
	 * @param records the records, in reading order
	 * @param seen the key up to which everything has been looked at: the last record's,
	 * or beyond when records of other types were passed over
	 * @param full whether the read returned as many records as asked, so more may follow
	 */
	record Batch(List<ReadRecord> records, RecordKey seen, boolean full) {
	}

	/**
	 * A record as read, or why it could not be read.
	 *
	 * @param key its place in reading order
	 * @param qualifiedName its {@code namespace:name}
	 * @param uuid its uuid
	 * @param correlationId its correlation id, also when the row is not a valid record
	 * @param requestId its request id, or {@code null}
	 * @param record the record, or {@code null} when the row is not a valid record
	 * @param unreadable why the row is not a valid record, or {@code null}
	 */
	record ReadRecord(RecordKey key, String qualifiedName, @Nullable UUID uuid, @Nullable String correlationId,
			@Nullable String requestId, @Nullable StoredRecord record, @Nullable String unreadable) {

		/**
		 * Make the record's ids current, so that lines logged about it outside its
		 * handler's call carry them too.
		 * @return the scope to close
		 */
		EventyContextHolder.Scope openScope() {
			return EventyContextHolder.open(EventyContext.ofRecord(this.correlationId, this.requestId,
					(this.uuid != null) ? this.uuid.toString() : null));
		}

	}

}
