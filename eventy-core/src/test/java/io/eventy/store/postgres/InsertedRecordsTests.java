package io.eventy.store.postgres;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InsertedRecords}.
 */
class InsertedRecordsTests {

	@Test
	void rowsInRecordOrderKeepTheirPositionsAndGiveTheFirstVersion() {
		long[] positions = { 10, 11, 12 };
		InsertedRecords inserted = InsertedRecords.of(positions, new long[] { 4, 5, 6 }, 3);
		assertThat(inserted.positions()).containsExactly(10, 11, 12);
		assertThat(inserted.firstVersion()).isEqualTo(4);
		assertThat(inserted.count()).isEqualTo(3);
	}

	@Test
	void rowsOutOfRecordOrderPutEachPositionAtItsRecordByVersion() {
		InsertedRecords inserted = InsertedRecords.of(new long[] { 12, 10, 11 }, new long[] { 6, 4, 5 }, 3);
		assertThat(inserted.positions()).containsExactly(10, 11, 12);
		assertThat(inserted.firstVersion()).isEqualTo(4);
	}

	@Test
	void fewerRowsThanRecordsHaveNoFirstVersion() {
		InsertedRecords inserted = InsertedRecords.of(new long[] { 7, 0, 0 }, new long[] { 2, 0, 0 }, 1);
		assertThat(inserted.count()).isEqualTo(1);
		assertThat(inserted.firstVersion()).isZero();
		assertThat(inserted.positions()[0]).isEqualTo(7);
	}

	@Test
	void aRecordOfNoStreamHasVersionZero() {
		InsertedRecords inserted = InsertedRecords.of(new long[] { 42 }, new long[] { 0 }, 1);
		assertThat(inserted.positions()).containsExactly(42);
		assertThat(inserted.firstVersion()).isZero();
	}

}
