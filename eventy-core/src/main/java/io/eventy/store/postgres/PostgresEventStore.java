package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.record.EventyRecord;
import io.eventy.record.InvalidRecordException;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.RecordFactory;
import io.eventy.store.AppendResult;
import io.eventy.store.ConcurrencyException;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.postgres.RecordRows.Metadata;
import io.eventy.store.postgres.RecordRows.Row;
import io.eventy.store.postgres.RecordSql.Mode;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * The PostgreSQL {@link EventStore}.
 * <p>
 * Records go to {@code <schema>.<prefix>records} ({@code data} and {@code context} as
 * {@code jsonb}, a global {@code position}, the writing transaction's id). An append of
 * up to {@value RecordSql#MAX_ROWS_PER_STATEMENT} records is one SQL statement that looks
 * up the version the records follow and inserts them; larger appends are split into
 * several statements in one transaction. Once records are committed, a notification on
 * {@link PostgresStoreSettings#notificationChannel()} wakes the subscriptions: sent right
 * after the commit from a thread of the store's own, not in the appending transaction,
 * where it would make concurrent commits wait for each other. The unique key on (stream
 * type, stream id, stream version) is the concurrency check: of two appends that race for
 * a version, the second waits for the first transaction to end and then stores nothing,
 * and throws {@link ConcurrencyException} (with {@link ExpectedVersion#any()} it goes
 * after the first one instead). Either way the caller's transaction stays usable.
 * <p>
 * Appends, publications and reads join the caller's Spring transaction when one is bound
 * to the {@link DataSource}, so business rows and records commit or roll back together;
 * outside a transaction each call commits on its own. The tables come from
 * {@link PostgresSchemaInitializer}.
 */
public final class PostgresEventStore implements EventStore, AutoCloseable {

	private static final String UNIQUE_VIOLATION = "23505";

	/**
	 * How often an append with {@link ExpectedVersion#any()} tries again after another
	 * transaction stored the version it was about to take.
	 */
	private static final int MAX_ANY_ATTEMPTS = 100;

	private final DataSource dataSource;

	private final RecordFactory recordFactory;

	private final RecordSql sql;

	private final RecordRows rows;

	private final String streamConstraint;

	private final String uuidConstraint;

	private final SQLExceptionTranslator exceptionTranslator;

	private final RecordNotifier notifier;

	/**
	 * Create a store.
	 * @param dataSource the database
	 * @param settings schema and table prefix
	 * @param recordFactory builds records from payloads
	 */
	public PostgresEventStore(DataSource dataSource, PostgresStoreSettings settings, RecordFactory recordFactory) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
		Objects.requireNonNull(settings, "settings");
		this.recordFactory = Objects.requireNonNull(recordFactory, "recordFactory");
		this.sql = new RecordSql(settings);
		ObjectMapper objectMapper = (recordFactory.converter() instanceof JacksonPayloadConverter jackson)
				? jackson.objectMapper() : JsonMapper.builder().findAndAddModules().build();
		this.rows = new RecordRows(objectMapper, recordFactory.converter());
		this.streamConstraint = "\"" + settings.tablePrefix() + "records_stream_uk\"";
		this.uuidConstraint = "\"" + settings.tablePrefix() + "records_uuid_uk\"";
		this.exceptionTranslator = new SQLErrorCodeSQLExceptionTranslator(dataSource);
		this.notifier = new RecordNotifier(dataSource, settings.notificationChannel());
	}

	/**
	 * Stop the thread that sends notifications, after the ones already due. Appends still
	 * work afterwards; subscriptions then find their records by polling.
	 */
	@Override
	public void close() {
		this.notifier.close();
	}

	/**
	 * Return how many commits of records asked for a notification so far (for tests).
	 * @return the number of requests
	 */
	long notificationRequests() {
		return this.notifier.requests();
	}

	@Override
	public AppendResult append(StreamId stream, ExpectedVersion expected, List<?> payloads) {
		Objects.requireNonNull(stream, "stream");
		Objects.requireNonNull(expected, "expected");
		Objects.requireNonNull(payloads, "payloads");
		if (payloads.isEmpty()) {
			throw new IllegalArgumentException("An append needs at least one payload");
		}
		checkStream(stream);
		String partitionKey = stream.partitionKey();
		List<Row> rows = new ArrayList<>(payloads.size());
		for (Object payload : payloads) {
			rows.add(this.rows.row(this.recordFactory.create(payload, partitionKey)));
		}
		Metadata metadata = currentMetadata();
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try {
			Inserted inserted = write(connection, rows.size() > 1, (callersTransaction) -> insertRetryingAny(connection,
					stream, expected, rows, metadata, callersTransaction));
			List<StoredRecord> stored = new ArrayList<>(rows.size());
			for (int i = 0; i < rows.size(); i++) {
				stored.add(this.rows.stored(rows.get(i), stream, inserted.firstVersion() + i, inserted.positions()[i],
						metadata));
			}
			return new AppendResult(inserted.firstVersion() + rows.size() - 1, stored);
		}
		catch (SQLException ex) {
			throw failure("append to stream " + stream, "in stream " + stream, ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

	@Override
	public List<StoredRecord> readStream(StreamId stream, long fromVersion) {
		Objects.requireNonNull(stream, "stream");
		if (fromVersion < 1) {
			throw new IllegalArgumentException(
					"fromVersion must be at least 1 (stream versions start at 1), was " + fromVersion);
		}
		checkStream(stream);
		return query(this.sql.readStream(), stream, (statement) -> {
			statement.setString(1, stream.type());
			statement.setString(2, stream.id());
			statement.setLong(3, fromVersion);
		}, 16);
	}

	@Override
	public List<StoredRecord> readCategory(String streamType, long fromPosition, int limit) {
		if (streamType == null || streamType.isBlank()) {
			throw new IllegalArgumentException("Stream type must not be blank");
		}
		checkRange(fromPosition, limit);
		return query(this.sql.readCategory(), null, (statement) -> {
			statement.setString(1, streamType);
			statement.setLong(2, fromPosition);
			statement.setInt(3, limit);
		}, Math.min(limit, 1024));
	}

	@Override
	public List<StoredRecord> readAll(long fromPosition, int limit) {
		checkRange(fromPosition, limit);
		return query(this.sql.readAll(), null, (statement) -> {
			statement.setLong(1, fromPosition);
			statement.setInt(2, limit);
		}, Math.min(limit, 1024));
	}

	@Override
	public StoredRecord publish(Object payload) {
		Objects.requireNonNull(payload, "payload");
		return publish(this.recordFactory.create(payload, null));
	}

	@Override
	public StoredRecord publish(String qualifiedName, Map<String, ?> data) {
		Objects.requireNonNull(qualifiedName, "qualifiedName");
		Objects.requireNonNull(data, "data");
		return publish(this.recordFactory.create(qualifiedName, data, null));
	}

	private StoredRecord publish(EventyRecord record) {
		Row row = this.rows.row(record);
		Metadata metadata = currentMetadata();
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try {
			long position = write(connection, false, (callersTransaction) -> {
				try (PreparedStatement statement = connection
					.prepareStatement(this.sql.insert(Mode.PUBLISH, 1, false, row.hasResponseFields()))) {
					int index = 1;
					statement.setString(index++, null);
					statement.setString(index++, null);
					index = metadata.bind(statement, index);
					RecordRows.bind(statement, index, row, row.hasResponseFields());
					return inserted(statement, 1).positions()[0];
				}
			});
			return this.rows.stored(row, null, 0, position, metadata);
		}
		catch (SQLException ex) {
			throw failure("publish " + record.qualifiedName(), "published", ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

	/**
	 * Run the statements of an append or a publication and see to their commit and
	 * notification. In the caller's Spring transaction they commit with it, and the
	 * notification follows its commit. Otherwise (also in a Spring scope without an
	 * actual transaction, such as {@code SUPPORTS}) one statement on a connection that
	 * commits by itself is its own transaction; several statements (or a connection that
	 * does not commit by itself) run in a transaction of the store's, so that a race lost
	 * part way leaves nothing behind and nothing is rolled back when the connection goes
	 * back to its pool.
	 */
	private <T> T write(Connection connection, boolean severalStatements, Writes<T> writes) throws SQLException {
		if (CallerTransaction.owns(connection, this.dataSource)) {
			T written = writes.run(true);
			this.notifier.recordsWritten(connection, false);
			return written;
		}
		boolean autoCommit = connection.getAutoCommit();
		if (autoCommit && !severalStatements) {
			T written = writes.run(false);
			this.notifier.committed();
			return written;
		}
		if (autoCommit) {
			connection.setAutoCommit(false);
		}
		try {
			T written = writes.run(false);
			connection.commit();
			this.notifier.committed();
			return written;
		}
		catch (SQLException | RuntimeException ex) {
			rollback(connection);
			throw ex;
		}
		finally {
			if (autoCommit) {
				connection.setAutoCommit(true);
			}
		}
	}

	/**
	 * Insert records after the stream's version. Another transaction can store a version
	 * between the lookup of the last one and the insert; with
	 * {@link ExpectedVersion#any()} the append then tries again after it (the next
	 * statement sees it), otherwise it throws {@link ConcurrencyException}.
	 */
	private Inserted insertRetryingAny(Connection connection, StreamId stream, ExpectedVersion expected, List<Row> rows,
			Metadata metadata, boolean callersTransaction) throws SQLException {
		for (int attempt = 1;; attempt++) {
			Inserted inserted = insertAll(connection, stream, expected, rows, metadata, callersTransaction);
			if (inserted != null) {
				return inserted;
			}
			if (!expected.isAny() || attempt == MAX_ANY_ATTEMPTS) {
				throw new ConcurrencyException(stream, expected, actualVersion(connection, stream));
			}
		}
	}

	/**
	 * Insert records in statements of up to {@value RecordSql#MAX_ROWS_PER_STATEMENT}:
	 * the first one after the expected version, each next one after the last record of
	 * the one before. A version another transaction stored first is a conflict: in the
	 * caller's transaction the statements skip it ({@code ON CONFLICT DO NOTHING}, which
	 * leaves the transaction usable) and what they inserted is deleted again; in the
	 * store's own transaction they fail on the unique key and the transaction is rolled
	 * back.
	 * @return what was inserted, or {@code null} when the expected version did not hold
	 * and nothing is left inserted
	 */
	private @Nullable Inserted insertAll(Connection connection, StreamId stream, ExpectedVersion expected,
			List<Row> rows, Metadata metadata, boolean callersTransaction) throws SQLException {
		long[] positions = new long[rows.size()];
		int done = 0;
		long firstVersion = 0;
		ExpectedVersion after = expected;
		while (done < rows.size()) {
			List<Row> chunk = rows.subList(done, Math.min(rows.size(), done + RecordSql.MAX_ROWS_PER_STATEMENT));
			Inserted inserted = execute(connection, stream, after, chunk, metadata, callersTransaction);
			System.arraycopy(inserted.positions(), 0, positions, done, inserted.count());
			done += inserted.count();
			if (inserted.count() < chunk.size()) {
				if (callersTransaction) {
					deleteInserted(connection, Arrays.copyOf(positions, done));
				}
				else if (!connection.getAutoCommit()) {
					connection.rollback();
				}
				return null;
			}
			if (firstVersion == 0) {
				firstVersion = inserted.firstVersion();
			}
			after = ExpectedVersion.exactly(firstVersion + done - 1);
		}
		return new Inserted(positions, firstVersion, done);
	}

	private Inserted execute(Connection connection, StreamId stream, ExpectedVersion expected, List<Row> rows,
			Metadata metadata, boolean skipConflicts) throws SQLException {
		Mode mode = expected.isAny() ? Mode.ANY : expected.isNoStream() ? Mode.NO_STREAM : Mode.EXACTLY;
		boolean responses = false;
		for (Row row : rows) {
			responses |= row.hasResponseFields();
		}
		try (PreparedStatement statement = connection
			.prepareStatement(this.sql.insert(mode, rows.size(), skipConflicts, responses))) {
			int index = 1;
			if (mode != Mode.NO_STREAM) {
				statement.setString(index++, stream.type());
				statement.setString(index++, stream.id());
			}
			if (mode == Mode.EXACTLY) {
				statement.setLong(index++, expected.value());
			}
			statement.setString(index++, stream.type());
			statement.setString(index++, stream.id());
			index = metadata.bind(statement, index);
			for (Row row : rows) {
				index = RecordRows.bind(statement, index, row, responses);
			}
			return inserted(statement, rows.size());
		}
		catch (SQLException ex) {
			if (!skipConflicts && isStreamVersionTaken(ex)) {
				return Inserted.NONE;
			}
			throw ex;
		}
	}

	private boolean isStreamVersionTaken(SQLException ex) {
		return UNIQUE_VIOLATION.equals(ex.getSQLState()) && ex.getMessage() != null
				&& ex.getMessage().contains(this.streamConstraint);
	}

	/**
	 * Take back the records an append inserted before it lost a race, in the transaction
	 * that inserted them: nobody else ever saw them.
	 */
	private void deleteInserted(Connection connection, long[] positions) throws SQLException {
		if (positions.length == 0) {
			return;
		}
		try (PreparedStatement statement = connection.prepareStatement(this.sql.deleteInserted())) {
			statement.setArray(1, connection.createArrayOf("bigint", Arrays.stream(positions).boxed().toArray()));
			statement.executeUpdate();
		}
	}

	/**
	 * Run an insert and read what it returns.
	 * @return the positions and first version of the inserted records; fewer than
	 * {@code expected} (in no particular order) when some were not inserted
	 */
	private static Inserted inserted(PreparedStatement statement, int expected) throws SQLException {
		long[] positions = new long[expected];
		long[] versions = new long[expected];
		long firstVersion = Long.MAX_VALUE;
		int count = 0;
		try (ResultSet result = statement.executeQuery()) {
			while (result.next()) {
				if (count == expected) {
					throw new IllegalStateException("Inserted more records than the " + expected + " given");
				}
				positions[count] = result.getLong(1);
				versions[count] = result.getLong(2);
				firstVersion = Math.min(firstVersion, versions[count]);
				count++;
			}
		}
		if (count < expected) {
			return new Inserted(positions, 0, count);
		}
		// rows come back in record order; should they not, put each position at its
		// record
		long[] ordered = positions;
		for (int i = 0; i < count; i++) {
			if (versions[i] != firstVersion + i && ordered == positions) {
				ordered = new long[expected];
				for (int j = 0; j < count; j++) {
					ordered[(int) (versions[j] - firstVersion)] = positions[j];
				}
			}
		}
		return new Inserted(ordered, firstVersion, count);
	}

	/**
	 * Return the exception a failed statement means to the caller: a unique violation of
	 * the record uuid is an {@link InvalidRecordException}; anything else is translated
	 * to a {@link DataAccessException}.
	 */
	private RuntimeException failure(String task, String record, SQLException ex) {
		String message = ex.getMessage();
		if (UNIQUE_VIOLATION.equals(ex.getSQLState()) && message != null && message.contains(this.uuidConstraint)) {
			InvalidRecordException duplicate = new InvalidRecordException(record,
					List.of("uuid: a record with this uuid is already stored ("
							+ String.join(" ", message.lines().map(String::strip).toList()) + ")"));
			duplicate.initCause(ex);
			return duplicate;
		}
		return translate(task, ex);
	}

	private long actualVersion(Connection connection, StreamId stream) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.sql.streamVersion())) {
			statement.setString(1, stream.type());
			statement.setString(2, stream.id());
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
	}

	private static void rollback(Connection connection) {
		try {
			connection.rollback();
		}
		catch (SQLException ex) {
			// the connection is broken; the transaction is gone with it
		}
	}

	private List<StoredRecord> query(String sql, @Nullable StreamId stream, Binder binder, int expectedSize) {
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			binder.bind(statement);
			List<StoredRecord> records = new ArrayList<>(expectedSize);
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					records.add(this.rows.read(result, stream));
				}
			}
			return records;
		}
		catch (SQLException ex) {
			throw translate("read records", ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

	private DataAccessException translate(String task, SQLException ex) {
		DataAccessException translated = this.exceptionTranslator.translate("Eventy: " + task, null, ex);
		return (translated != null) ? translated : new UncategorizedSQLException("Eventy: " + task, null, ex);
	}

	private static Metadata currentMetadata() {
		EventyContext context = EventyContextHolder.current();
		if (context == null) {
			return Metadata.NONE;
		}
		Metadata metadata = new Metadata(context.requestId(), context.causationId(), context.traceparent());
		checkId("request id", metadata.requestId());
		checkId("causation id", metadata.causationId());
		checkId("traceparent", metadata.traceparent());
		return metadata;
	}

	private static void checkId(String what, @Nullable String value) {
		if (value != null && value.indexOf('\0') >= 0) {
			throw new IllegalArgumentException(
					"The current context's " + what + " contains the character U+0000, which PostgreSQL cannot store");
		}
	}

	private static void checkStream(StreamId stream) {
		if (stream.type().indexOf('\0') >= 0 || stream.id().indexOf('\0') >= 0) {
			throw new IllegalArgumentException(
					"Stream " + stream + " contains the character U+0000, which PostgreSQL cannot store");
		}
	}

	private static void checkRange(long fromPosition, int limit) {
		if (fromPosition < 0) {
			throw new IllegalArgumentException("fromPosition must not be negative, was " + fromPosition);
		}
		if (limit < 1) {
			throw new IllegalArgumentException("limit must be at least 1, was " + limit);
		}
	}

	/**
	 * What an insert returned.
	 *
	 * @param positions the records' positions, in record order when all were inserted
	 * @param firstVersion the stream version of the first record, {@code 0} without
	 * stream or when not all were inserted
	 * @param count how many records were inserted
	 */
	private record Inserted(long[] positions, long firstVersion, int count) {

		static final Inserted NONE = new Inserted(new long[0], 0, 0);

	}

	@FunctionalInterface
	private interface Writes<T> {

		T run(boolean callersTransaction) throws SQLException;

	}

	@FunctionalInterface
	private interface Binder {

		void bind(PreparedStatement statement) throws SQLException;

	}

}
