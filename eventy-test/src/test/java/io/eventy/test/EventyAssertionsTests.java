package io.eventy.test;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.record.EventyRecord;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.RecordKind;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.test.app.InvoiceIssued;
import io.eventy.test.app.OrderPlaced;
import io.eventy.test.app.ParcelScanned;
import org.junit.jupiter.api.Test;

import static io.eventy.test.EventyAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The assertions on records built in memory, as a store returns them.
 */
class EventyAssertionsTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final List<StoredRecord> records = List.of(
			record(new OrderPlaced("41", 500), StreamId.of("order", "41"), 1, "trace-a", "req-a"),
			record(new OrderPlaced("42", 1200), StreamId.of("order", "42"), 2, "trace-b", "req-b"),
			record(new InvoiceIssued("42", 1200), null, 3, "trace-b", "req-b"));

	@Test
	void findsARecordOfATypeThatMatchesEveryCondition() {
		assertThat(this.records).containsRecord(OrderPlaced.class)
			.withCorrelationId("trace-b")
			.withRequestId("req-b")
			.withStream(StreamId.of("order", "42"))
			.withPayload(new OrderPlaced("42", 1200))
			.withPayload((order) -> order.amountCents() > 1000);
		assertThat(this.records).containsRecord(InvoiceIssued.class).withCausationId("cause-3");
	}

	@Test
	void returnsThePayloadOfTheRecordFound() {
		org.assertj.core.api.Assertions
			.assertThat(assertThat(this.records).containsRecord(OrderPlaced.class).withRequestId("req-a").payload())
			.isEqualTo(new OrderPlaced("41", 500));
	}

	@Test
	void failsForAMissingTypeListingTheRecordsThatWereThere() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.records).containsRecord(ParcelScanned.class))
			.withMessageContaining("Expecting a record of type urn:shop:ParcelScanned")
			.withMessageContaining("among the 3 record(s)")
			.withMessageContaining("urn:shop:OrderPlaced 1.0.0 at position 1 in stream order-41 v1")
			.withMessageContaining("urn:shop:InvoiceIssued 1.0.0 at position 3, correlation id trace-b")
			.withMessageContaining("but there was none");
	}

	@Test
	void failsWhenNoRecordOfTheTypeMatchesAllConditionsShowingThoseOfTheType() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.records).containsRecord(OrderPlaced.class)
				.withCorrelationId("trace-a")
				.withPayload(new OrderPlaced("42", 1200)))
			.withMessageContaining("with correlation id trace-a, payload OrderPlaced[orderId=42, amountCents=1200]")
			.withMessageContaining("among the 2 record(s) of that type")
			.withMessageContaining("data {\"orderId\":\"41\",\"amountCents\":500}")
			.withMessageNotContaining("InvoiceIssued")
			.withMessageContaining("but none has all of these");
	}

	@Test
	void failsWhenThePayloadPredicateMatchesNone() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.records).containsRecord(InvoiceIssued.class)
				.withPayload((invoice) -> invoice.amountCents() == 0))
			.withMessageContaining("but none has a payload matching the predicate");
	}

	@Test
	void countsAndExcludesRecordsOfAType() {
		assertThat(this.records).containsRecords(OrderPlaced.class, 2).doesNotContainRecord(ParcelScanned.class);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.records).doesNotContainRecord(InvoiceIssued.class))
			.withMessageContaining(
					"Expecting no record of type urn:shop:InvoiceIssued (io.eventy.test.app.InvoiceIssued) but found:");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.records).containsRecords(OrderPlaced.class, 1))
			.withMessageContaining("Expecting 1 record(s) of type urn:shop:OrderPlaced")
			.withMessageContaining("but found 2 among the 3 record(s)");
	}

	private static StoredRecord record(Object payload, StreamId stream, long position, String correlationId,
			String requestId) {
		String name = payload.getClass().getSimpleName();
		EventyRecord envelope = EventyRecord.builder(RecordKind.EVENT)
			.namespace("urn:shop")
			.name(name)
			.source("urn:test-shop")
			.correlationId(correlationId)
			.data(JSON.valueToTree(payload))
			.build();
		return new StoredRecord(envelope, stream, (stream != null) ? 1 : 0, position, requestId, "cause-" + position,
				null, new JacksonPayloadConverter(JSON));
	}

}
