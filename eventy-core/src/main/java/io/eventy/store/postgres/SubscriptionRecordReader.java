package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
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

	/** The index of the first of {@link #COLUMNS} in a read, after the horizon. */
	private static final int FIRST_COLUMN = 2;

	private static final String EMPTY_OBJECT = "{}";

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
	private final String[] reads = new String[6];

	/** The same without the horizon, for {@link #readFull}. */
	private final String[] fullReads = new String[6];

	private final RecordHead head;

	SubscriptionRecordReader(PostgresStoreSettings settings, PayloadConverter converter) {
		this.converter = converter;
		String records = settings.table("records");
		// no ORDER BY around the join: sorting the rows again costs the database a copy
		// of each; they arrive in reading order, and read() checks that they do
		String read = "SELECT h.horizon::text AS horizon_text, r.* FROM "
				+ "(SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon) h LEFT JOIN LATERAL (SELECT " + COLUMNS
				+ " FROM " + records
				+ " WHERE (transaction_id, position) > (?::xid8, ?) AND transaction_id < h.horizon%s%s"
				+ " ORDER BY transaction_id, position LIMIT ?) r ON true";
		String[] typed = { "", " AND namespace = ? AND name = ?",
				// a type with former names: the pairs the arrays make that are no name of
				// the type are left out by the handler's selector
				" AND namespace = ANY (?) AND name = ANY (?)" };
		String segmented = " AND " + SEGMENT_OF_RECORD + " = ?";
		for (int i = 0; i < typed.length; i++) {
			this.reads[i] = read.formatted(typed[i], "");
			this.reads[i + typed.length] = read.formatted(typed[i], segmented);
		}
		// without the horizon, the cheapest read there is: for a batch expected to be
		// full, which needs no horizon
		String full = "SELECT " + COLUMNS + " FROM " + records + " WHERE (transaction_id, position) > (?::xid8, ?) "
				+ "AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())%s%s "
				+ "ORDER BY transaction_id, position LIMIT ?";
		for (int i = 0; i < typed.length; i++) {
			this.fullReads[i] = full.formatted(typed[i], "");
			this.fullReads[i + typed.length] = full.formatted(typed[i], segmented);
		}
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
	 * @param names the qualified names of the only records to read, or empty for every
	 * record
	 * @param segment the segment whose records to read
	 * @return the records, and how far the read looked
	 * @throws SQLException if the database fails
	 */
	Batch read(Connection connection, RecordKey after, int limit, List<String> names, Segment segment)
			throws SQLException {
		List<ReadRecord> records = new ArrayList<>(Math.min(limit, 1024));
		String horizon = null;
		String sql = this.reads[statement(names, segment)];
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			bind(statement, after, limit, names, segment);
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					horizon = result.getString(1);
					// a row without a record is the horizon alone: nothing to read below
					// it
					result.getLong(FIRST_COLUMN);
					if (!result.wasNull()) {
						records.add(map(result, FIRST_COLUMN));
					}
				}
			}
		}
		inReadingOrder(records);
		boolean full = records.size() >= limit;
		RecordKey last = records.isEmpty() ? after : records.get(records.size() - 1).key();
		RecordKey seen = last;
		if (!full && (!names.isEmpty() || !segment.whole()) && horizon != null) {
			// nothing of the type or segment is left below the horizon: other records up
			// to it need not be read again (and the segments of a subscription meet
			// there)
			seen = RecordKey.max(last, this.head.below(connection, horizon));
		}
		return new Batch(records, seen, full);
	}

	/**
	 * Read the next records after a key, as {@link #read} does, where as many as asked
	 * are expected, as while catching up: with a statement that does not return the
	 * horizon, and, only when fewer records come back, again with {@link #read}.
	 * @param connection the connection
	 * @param after the key of the last record done with
	 * @param limit the most records to read
	 * @param names the qualified names of the only records to read, or empty for every
	 * record
	 * @param segment the segment whose records to read
	 * @return the records, and how far the read looked
	 * @throws SQLException if the database fails
	 */
	Batch readFull(Connection connection, RecordKey after, int limit, List<String> names, Segment segment)
			throws SQLException {
		List<ReadRecord> records = new ArrayList<>(Math.min(limit, 1024));
		String sql = this.fullReads[statement(names, segment)];
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			bind(statement, after, limit, names, segment);
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					records.add(map(result, 1));
				}
			}
		}
		if (records.size() < limit) {
			// how far a read that is not full looked depends on its horizon
			return read(connection, after, limit, names, segment);
		}
		inReadingOrder(records);
		return new Batch(records, records.get(records.size() - 1).key(), true);
	}

	private static int statement(List<String> names, Segment segment) {
		return Math.min(names.size(), 2) + (segment.whole() ? 0 : 3);
	}

	private static void bind(PreparedStatement statement, RecordKey after, int limit, List<String> names,
			Segment segment) throws SQLException {
		after.bind(statement, 1);
		int index = 3;
		if (names.size() == 1) {
			String name = names.get(0);
			statement.setString(index++, RecordTypeDescriptor.namespaceOf(name));
			statement.setString(index++, RecordTypeDescriptor.nameOf(name));
		}
		else if (!names.isEmpty()) {
			Connection connection = statement.getConnection();
			statement.setArray(index++, connection.createArrayOf("text",
					names.stream().map(RecordTypeDescriptor::namespaceOf).distinct().toArray()));
			statement.setArray(index++,
					connection.createArrayOf("text", names.stream().map(RecordTypeDescriptor::nameOf).toArray()));
		}
		if (!segment.whole()) {
			statement.setInt(index++, segment.count());
			statement.setInt(index++, segment.index());
		}
		statement.setInt(index, limit);
	}

	/**
	 * Sort records into reading order, unless they are in it already, as the database
	 * returns them.
	 * @param records the records
	 */
	private static void inReadingOrder(List<ReadRecord> records) {
		for (int i = 1; i < records.size(); i++) {
			if (records.get(i - 1).key().compareTo(records.get(i).key()) > 0) {
				records.sort(Comparator.comparing(ReadRecord::key));
				return;
			}
		}
	}

	/**
	 * Map a row with {@link #COLUMNS}. The row's values are taken at once, its JSON is
	 * read and its record built when first asked for ({@link ReadRecord#record()}), on
	 * the thread that handles it; a row that is not a valid record then gives the reason
	 * instead of its record.
	 * @param result the row
	 * @return the record
	 * @throws SQLException if a column cannot be read
	 */
	ReadRecord map(ResultSet result) throws SQLException {
		return map(result, result.findColumn("position"));
	}

	/**
	 * Map a row whose {@link #COLUMNS} start at a column.
	 * @param result the row
	 * @param first the index of the first of them, {@code position}
	 * @return the record
	 * @throws SQLException if a column cannot be read
	 */
	private ReadRecord map(ResultSet result, int first) throws SQLException {
		return new ReadRecord(new Row(result, first - 1), this);
	}

	private StoredRecord storedRecord(Row row) throws java.io.IOException {
		JsonNode data = this.treeReader.readValue(row.data);
		Map<String, Object> context = EMPTY_OBJECT.equals(row.context) ? Map.of()
				: this.contextReader.readValue(row.context);
		if (row.recordedAt == null) {
			throw new IllegalStateException("recorded_at is null");
		}
		EventyRecord record = new EventyRecord(RecordRows.kind(row.kind), row.namespace, row.name, row.protocolVersion,
				row.version, row.source, row.uuid, row.correlationId, row.partitionKey, row.recordedAt.toInstant(),
				context, (data instanceof ObjectNode object) ? object : objectMapper.createObjectNode(),
				row.destination, row.requestUuid, row.ok, row.errorCode, row.errorMessage);
		if (!(data instanceof ObjectNode)) {
			throw new IllegalStateException("data is not a JSON object");
		}
		StreamId stream = (row.streamType != null && row.streamId != null) ? StreamId.of(row.streamType, row.streamId)
				: null;
		return new StoredRecord(record, stream, (stream != null) ? row.streamVersion : 0, row.position, row.requestId,
				row.causationId, row.traceparent, this.converter);
	}

	/**
	 * The values of a row of {@link #COLUMNS}, as the driver returns them.
	 */
	private static final class Row {

		final long position;

		final RecordKey key;

		final @Nullable UUID uuid;

		final @Nullable String streamType;

		final @Nullable String streamId;

		final long streamVersion;

		final String kind;

		final String namespace;

		final String name;

		final String protocolVersion;

		final String version;

		final String source;

		final String correlationId;

		final @Nullable String partitionKey;

		final @Nullable String requestId;

		final @Nullable String causationId;

		final @Nullable String traceparent;

		final @Nullable OffsetDateTime recordedAt;

		final String context;

		final String data;

		final @Nullable String destination;

		final @Nullable UUID requestUuid;

		final @Nullable Boolean ok;

		final @Nullable Integer errorCode;

		final @Nullable String errorMessage;

		// indexes after at, in the order of COLUMN_NAMES
		Row(ResultSet result, int at) throws SQLException {
			this.position = result.getLong(at + 1);
			this.uuid = result.getObject(at + 2, UUID.class);
			this.streamType = result.getString(at + 3);
			this.streamId = result.getString(at + 4);
			this.streamVersion = result.getLong(at + 5);
			this.kind = result.getString(at + 6);
			this.namespace = result.getString(at + 7);
			this.name = result.getString(at + 8);
			this.protocolVersion = result.getString(at + 9);
			this.version = result.getString(at + 10);
			this.source = result.getString(at + 11);
			this.correlationId = result.getString(at + 12);
			this.partitionKey = result.getString(at + 13);
			this.requestId = result.getString(at + 14);
			this.causationId = result.getString(at + 15);
			this.traceparent = result.getString(at + 16);
			this.recordedAt = result.getObject(at + 17, OffsetDateTime.class);
			this.context = result.getString(at + 18);
			this.data = result.getString(at + 19);
			this.destination = result.getString(at + 20);
			this.requestUuid = result.getObject(at + 21, UUID.class);
			boolean ok = result.getBoolean(at + 22);
			this.ok = result.wasNull() ? null : ok;
			int errorCode = result.getInt(at + 23);
			this.errorCode = result.wasNull() ? null : errorCode;
			this.errorMessage = result.getString(at + 24);
			this.key = RecordKey.of(result.getString(at + 25), this.position);
		}

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
	 * A record as read, or why it could not be read: its ids at once, the record itself
	 * when first asked for.
	 */
	static final class ReadRecord {

		private final Row row;

		private final SubscriptionRecordReader reader;

		private @Nullable StoredRecord record;

		private @Nullable String unreadable;

		private boolean decoded;

		private ReadRecord(Row row, SubscriptionRecordReader reader) {
			this.row = row;
			this.reader = reader;
		}

		/**
		 * Return its place in reading order.
		 * @return the key
		 */
		RecordKey key() {
			return this.row.key;
		}

		/**
		 * Return about how much memory the row holds: the characters of its data and
		 * context, as read.
		 * @return the number of characters
		 */
		int textLength() {
			return this.row.data.length() + ((this.row.context != null) ? this.row.context.length() : 0);
		}

		/**
		 * Return its {@code namespace:name}.
		 * @return the qualified name
		 */
		String qualifiedName() {
			return this.row.namespace + ":" + this.row.name;
		}

		/**
		 * Return its uuid.
		 * @return the uuid, or {@code null}
		 */
		@Nullable UUID uuid() {
			return this.row.uuid;
		}

		/**
		 * Return its correlation id, also when the row is not a valid record.
		 * @return the correlation id
		 */
		@Nullable String correlationId() {
			return this.row.correlationId;
		}

		/**
		 * Return its request id.
		 * @return the request id, or {@code null}
		 */
		@Nullable String requestId() {
			return this.row.requestId;
		}

		/**
		 * Return the record, reading its JSON the first time.
		 * @return the record, or {@code null} when the row is not a valid record
		 */
		@Nullable StoredRecord record() {
			decode();
			return this.record;
		}

		/**
		 * Return why the row is not a valid record.
		 * @return the reason, or {@code null} when it is one
		 */
		@Nullable String unreadable() {
			decode();
			return this.unreadable;
		}

		private void decode() {
			if (this.decoded) {
				return;
			}
			try {
				this.record = this.reader.storedRecord(this.row);
			}
			catch (RuntimeException | java.io.IOException ex) {
				this.unreadable = "Record at position " + this.row.position + " cannot be read: " + ex;
			}
			this.decoded = true;
		}

		/**
		 * Make the record's ids current, so that lines logged about it outside its
		 * handler's call carry them too.
		 * @return the scope to close
		 */
		EventyContextHolder.Scope openScope() {
			return EventyContextHolder.open(EventyContext.ofRecord(this.row.correlationId, this.row.requestId,
					(this.row.uuid != null) ? this.row.uuid.toString() : null));
		}

	}

}
