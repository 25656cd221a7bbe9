package io.eventy.test;

import java.util.List;

import io.eventy.store.StoredRecord;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a list of stored records; start with
 * {@link EventyAssertions#assertThat(List)}.
 */
public final class StoredRecordsAssert extends AbstractAssert<StoredRecordsAssert, List<StoredRecord>> {

	StoredRecordsAssert(List<StoredRecord> records) {
		super(List.copyOf(records), StoredRecordsAssert.class);
	}

	/**
	 * Verify that a record of a payload type is among the records, and continue with
	 * assertions on it: each {@code with…} call keeps the records of the type that match
	 * it, and fails when none is left.
	 * @param <T> the payload type
	 * @param payloadType a record type class, matched by its {@code @RecordType} name and
	 * namespace (the name alone when it declares no namespace)
	 * @return assertions on the records of that type
	 */
	public <T> StoredRecordAssert<T> containsRecord(Class<T> payloadType) {
		isNotNull();
		List<StoredRecord> ofType = this.actual.stream()
			.filter((record) -> RecordDescriptions.isOf(record, payloadType))
			.toList();
		if (ofType.isEmpty()) {
			failWithMessage("Expecting a record of type %s among the %d record(s):%n%s%nbut there was none",
					RecordDescriptions.typeOf(payloadType), this.actual.size(),
					RecordDescriptions.describe(this.actual));
		}
		return new StoredRecordAssert<>(this.actual, ofType, payloadType, List.of());
	}

	/**
	 * Verify that no record of a payload type is among the records.
	 * @param payloadType a record type class
	 * @return this
	 */
	public StoredRecordsAssert doesNotContainRecord(Class<?> payloadType) {
		isNotNull();
		List<StoredRecord> ofType = this.actual.stream()
			.filter((record) -> RecordDescriptions.isOf(record, payloadType))
			.toList();
		if (!ofType.isEmpty()) {
			failWithMessage("Expecting no record of type %s but found:%n%s", RecordDescriptions.typeOf(payloadType),
					RecordDescriptions.describe(ofType));
		}
		return this;
	}

	/**
	 * Verify how many records of a payload type there are.
	 * @param payloadType a record type class
	 * @param expected the number expected
	 * @return this
	 */
	public StoredRecordsAssert containsRecords(Class<?> payloadType, int expected) {
		isNotNull();
		List<StoredRecord> ofType = this.actual.stream()
			.filter((record) -> RecordDescriptions.isOf(record, payloadType))
			.toList();
		if (ofType.size() != expected) {
			failWithMessage("Expecting %d record(s) of type %s but found %d among the %d record(s):%n%s", expected,
					RecordDescriptions.typeOf(payloadType), ofType.size(), this.actual.size(),
					RecordDescriptions.describe(this.actual));
		}
		return this;
	}

}
