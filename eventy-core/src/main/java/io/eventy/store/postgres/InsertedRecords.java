package io.eventy.store.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What an insert of {@link RecordSql#insert} returned.
 *
 * @param positions the records' positions, in record order when all were inserted
 * @param firstVersion the stream version of the first record, {@code 0} without stream or
 * when not all were inserted
 * @param count how many records were inserted
 */
record InsertedRecords(long[] positions, long firstVersion, int count) {

	/** Nothing inserted. */
	static final InsertedRecords NONE = new InsertedRecords(new long[0], 0, 0);

	/**
	 * Run an insert and read what it returns.
	 * @param statement the insert, its parameters bound
	 * @param expected how many records it inserts
	 * @return the positions and first version of the inserted records; fewer than
	 * {@code expected} (in no particular order) when some were not inserted
	 * @throws SQLException if the statement fails
	 */
	static InsertedRecords read(PreparedStatement statement, int expected) throws SQLException {
		long[] positions = new long[expected];
		long[] versions = new long[expected];
		int count = 0;
		try (ResultSet result = statement.executeQuery()) {
			while (result.next()) {
				if (count == expected) {
					throw new IllegalStateException("Inserted more records than the " + expected + " given");
				}
				positions[count] = result.getLong(1);
				versions[count] = result.getLong(2);
				count++;
			}
		}
		return of(positions, versions, count);
	}

	/**
	 * Return what was inserted, each position at its record: rows come back in record
	 * order, but should they not, their versions tell where each belongs.
	 * @param positions the positions of the returned rows, one per record given
	 * @param versions the stream versions of the returned rows, at the same indexes
	 * @param count how many rows came back
	 * @return what was inserted
	 */
	static InsertedRecords of(long[] positions, long[] versions, int count) {
		int expected = positions.length;
		if (count < expected) {
			return new InsertedRecords(positions, 0, count);
		}
		long firstVersion = Long.MAX_VALUE;
		for (int i = 0; i < count; i++) {
			firstVersion = Math.min(firstVersion, versions[i]);
		}
		long[] ordered = positions;
		for (int i = 0; i < count; i++) {
			if (versions[i] != firstVersion + i && ordered == positions) {
				ordered = new long[expected];
				for (int j = 0; j < count; j++) {
					ordered[(int) (versions[j] - firstVersion)] = positions[j];
				}
			}
		}
		return new InsertedRecords(ordered, firstVersion, count);
	}

}
