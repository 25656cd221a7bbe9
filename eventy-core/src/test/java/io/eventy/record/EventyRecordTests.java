package io.eventy.record;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EventyRecordTests {

	@Test
	void cutsTheDateToMilliseconds() {
		EventyRecord record = event().date(Instant.parse("2025-11-24T16:00:00.123456789Z")).build();
		assertThat(record.date()).isEqualTo(Instant.parse("2025-11-24T16:00:00.123Z"));
	}

	@Test
	void refusesResponseFieldsOnAnEvent() {
		assertThatExceptionOfType(InvalidRecordException.class).isThrownBy(() -> event().errorCode(500).build())
			.withMessageContaining("only a RESPONSE has them, this is a EVENT");
		assertThatExceptionOfType(InvalidRecordException.class).isThrownBy(() -> event().errorMessage("boom").build())
			.withMessageContaining("only a RESPONSE has them");
	}

	@Test
	void refusesAResponseWithoutItsRequiredFields() {
		assertThatExceptionOfType(InvalidRecordException.class)
			.isThrownBy(() -> EventyRecord.builder(RecordKind.RESPONSE)
				.namespace("urn:shop")
				.name("Reply")
				.source("urn:shop-service")
				.build())
			.satisfies((ex) -> assertThat(ex.violations()).hasSize(2)
				.anyMatch((violation) -> violation.startsWith("destination:"))
				.anyMatch((violation) -> violation.startsWith("request_uuid:")));
	}

	@Test
	void refusesAContextValueThatIsNotAJsonObject() {
		assertThatExceptionOfType(InvalidRecordException.class)
			.isThrownBy(() -> event().context(Map.of("tenant", "t-1")).build())
			.satisfies((ex) -> assertThat(ex.violations())
				.containsExactly("context.tenant: must be a JSON object (a Map), was String"));
	}

	@Test
	void acceptsContextValuesThatAreMapsOrJsonObjects() {
		Map<String, Object> context = Map.of("user", Map.of("id", "u-1"), "tenant",
				JsonNodeFactory.instance.objectNode().put("id", "t-1"));
		assertThat(event().context(context).build().context()).isEqualTo(context);
	}

	@Test
	void quotesOnlyTheStartOfALongInvalidValue() {
		String huge = "x".repeat(10_000);
		assertThatExceptionOfType(InvalidRecordException.class)
			.isThrownBy(() -> event().namespace(huge).version(huge).source(huge).build())
			.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(500));
	}

	@Test
	void refusesDataThatIsNotAJsonObjectNamingTheRecord() {
		assertThatExceptionOfType(InvalidRecordException.class)
			.isThrownBy(() -> event().data(JsonNodeFactory.instance.arrayNode()))
			.withMessageContaining("urn:shop:OrderPlaced")
			.withMessageContaining("data: must be a JSON object, was ARRAY");
	}

	private static EventyRecord.Builder event() {
		return EventyRecord.builder(RecordKind.EVENT)
			.namespace("urn:shop")
			.name("OrderPlaced")
			.source("urn:order-service");
	}

}
