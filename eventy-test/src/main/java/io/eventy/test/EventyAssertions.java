package io.eventy.test;

import java.util.List;

import io.eventy.store.StoredRecord;

/**
 * Entry point of the AssertJ assertions on stored records:
 *
 * <pre class="code">
 * EventyAssertions.assertThat(eventy.recorded())
 *     .containsRecord(OrderPlaced.class)
 *     .withCorrelationId(traceId)
 *     .withPayload(new OrderPlaced("42", 1200));
 * </pre>
 */
public final class EventyAssertions {

	private EventyAssertions() {
	}

	/**
	 * Start assertions on records, for example those of
	 * {@link EventyTestSupport#recorded()}.
	 * @param records the records
	 * @return the assertions
	 */
	public static StoredRecordsAssert assertThat(List<StoredRecord> records) {
		return new StoredRecordsAssert(records);
	}

}
