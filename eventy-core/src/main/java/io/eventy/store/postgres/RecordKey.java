package io.eventy.store.postgres;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Where a record sits in the order subscriptions read: the id of the transaction that
 * wrote it, then its position.
 *
 * @param transactionId the writing transaction's id ({@code xid8})
 * @param position the record's position
 */
record RecordKey(long transactionId, long position) implements Comparable<RecordKey> {

	/** Before every record. */
	static final RecordKey START = new RecordKey(0, 0);

	static RecordKey of(String transactionId, long position) {
		return new RecordKey(Long.parseLong(transactionId), position);
	}

	/**
	 * Bind this key as two parameters, the first cast with {@code ?::xid8}.
	 * @param statement the statement
	 * @param index the index of the transaction id parameter
	 * @throws SQLException if the driver refuses
	 */
	void bind(PreparedStatement statement, int index) throws SQLException {
		statement.setString(index, Long.toString(this.transactionId));
		statement.setLong(index + 1, this.position);
	}

	@Override
	public int compareTo(RecordKey other) {
		int byTransaction = Long.compare(this.transactionId, other.transactionId);
		return (byTransaction != 0) ? byTransaction : Long.compare(this.position, other.position);
	}

	static RecordKey max(RecordKey a, RecordKey b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	@Override
	public String toString() {
		return "(" + this.transactionId + ", " + this.position + ")";
	}

}
