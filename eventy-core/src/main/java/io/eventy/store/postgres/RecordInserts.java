package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

import io.eventy.store.ConcurrencyException;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StreamId;
import io.eventy.store.postgres.RecordRows.Metadata;
import io.eventy.store.postgres.RecordRows.Row;
import io.eventy.store.postgres.RecordSql.Mode;
import org.jspecify.annotations.Nullable;

/**
 * Inserts records on a connection that {@link WriteTransactions} provides: an append in
 * statements of up to {@value RecordSql#MAX_ROWS_PER_STATEMENT} records, each one looking
 * up the version its records follow, and a publication in one statement.
 * <p>
 * Another transaction can store a version between the lookup and the insert. The unique
 * key on the stream version finds it: in the caller's transaction the statements skip the
 * version ({@code ON CONFLICT DO NOTHING}, which leaves the transaction usable) and what
 * the append inserted is deleted again; in the store's own transaction they fail on the
 * key and the transaction is rolled back. Then an append with
 * {@link ExpectedVersion#any()} tries again after the other one, and any other throws
 * {@link ConcurrencyException}.
 */
final class RecordInserts {

	/**
	 * How often an append with {@link ExpectedVersion#any()} tries again after another
	 * transaction stored the version it was about to take.
	 */
	private static final int MAX_ANY_ATTEMPTS = 100;

	private final RecordSql sql;

	private final String streamConstraint;

	RecordInserts(RecordSql sql, PostgresStoreSettings settings) {
		this.sql = sql;
		this.streamConstraint = StoreExceptionTranslator.constraint(settings, "records_stream_uk");
	}

	/**
	 * Insert records after the stream's version.
	 * @param connection the connection
	 * @param stream the stream
	 * @param expected the version the records must follow
	 * @param rows the records
	 * @param metadata the ids stored with them
	 * @param callersTransaction whether the statements run in the caller's transaction
	 * @return what was inserted, each record's position in record order
	 * @throws ConcurrencyException if the expected version does not hold; nothing is left
	 * inserted then
	 * @throws SQLException if a statement fails
	 */
	InsertedRecords append(Connection connection, StreamId stream, ExpectedVersion expected, List<Row> rows,
			Metadata metadata, boolean callersTransaction) throws SQLException {
		for (int attempt = 1;; attempt++) {
			InsertedRecords inserted = insertAll(connection, stream, expected, rows, metadata, callersTransaction);
			if (inserted != null) {
				return inserted;
			}
			if (!expected.isAny() || attempt == MAX_ANY_ATTEMPTS) {
				throw new ConcurrencyException(stream, expected, actualVersion(connection, stream));
			}
		}
	}

	/**
	 * Insert a record of no stream.
	 * @param connection the connection
	 * @param row the record
	 * @param metadata the ids stored with it
	 * @return its position
	 * @throws SQLException if the statement fails
	 */
	long publish(Connection connection, Row row, Metadata metadata) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement(this.sql.insert(Mode.PUBLISH, 1, false, row.hasResponseFields()))) {
			int index = 1;
			statement.setString(index++, null);
			statement.setString(index++, null);
			index = metadata.bind(statement, index);
			RecordRows.bind(statement, index, row, row.hasResponseFields());
			return InsertedRecords.read(statement, 1).positions()[0];
		}
	}

	/**
	 * Insert records in statements of up to {@value RecordSql#MAX_ROWS_PER_STATEMENT}:
	 * the first one after the expected version, each next one after the last record of
	 * the one before.
	 * @return what was inserted, or {@code null} when the expected version did not hold
	 * and nothing is left inserted
	 */
	private @Nullable InsertedRecords insertAll(Connection connection, StreamId stream, ExpectedVersion expected,
			List<Row> rows, Metadata metadata, boolean callersTransaction) throws SQLException {
		long[] positions = new long[rows.size()];
		int done = 0;
		long firstVersion = 0;
		ExpectedVersion after = expected;
		while (done < rows.size()) {
			List<Row> chunk = rows.subList(done, Math.min(rows.size(), done + RecordSql.MAX_ROWS_PER_STATEMENT));
			InsertedRecords inserted = insert(connection, stream, after, chunk, metadata, callersTransaction);
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
		return new InsertedRecords(positions, firstVersion, done);
	}

	private InsertedRecords insert(Connection connection, StreamId stream, ExpectedVersion expected, List<Row> rows,
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
			return InsertedRecords.read(statement, rows.size());
		}
		catch (SQLException ex) {
			if (!skipConflicts && StoreExceptionTranslator.isUniqueViolation(ex, this.streamConstraint)) {
				return InsertedRecords.NONE;
			}
			throw ex;
		}
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

}
