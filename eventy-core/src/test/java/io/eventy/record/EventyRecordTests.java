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
	void buildsOnlyVersionsThatAreSemVer200ExactlyAsPythonEventyChecksThem() {
		assertThatExceptionOfType(InvalidRecordException.class).isThrownBy(() -> event().version("1.0.0-01").build())
			.withMessageContaining("version: must be SemVer 2.0.0");
		assertThatExceptionOfType(InvalidRecordException.class)
			.isThrownBy(() -> event().protocolVersion("1.0.0-alpha.007").build())
			.withMessageContaining("protocol_version: must be SemVer 2.0.0");
		assertThat(event().version("1.0.0-0a.1+build.01").build().version()).isEqualTo("1.0.0-0a.1+build.01");
	}

	@Test
	void buildsPlainVersionsOnlyWithoutLeadingZerosAndWithThreeNumbers() {
		for (String version : new String[] { "01.0.0", "1.00.0", "1.0.00", "1.0", "1.0.0.0", "1..0", "1.0.", "" }) {
			assertThatExceptionOfType(InvalidRecordException.class).as(version)
				.isThrownBy(() -> event().version(version).build())
				.withMessageContaining("version: must be SemVer");
		}
		assertThat(event().version("10.20.300").build().version()).isEqualTo("10.20.300");
		assertThat(event().version("0.0.0").build().version()).isEqualTo("0.0.0");
	}

	@Test
	void buildsNoResponseWhoseDestinationHasADot() {
		assertThatExceptionOfType(InvalidRecordException.class)
			.isThrownBy(() -> EventyRecord.builder(RecordKind.RESPONSE)
				.namespace("urn:shop")
				.name("Reply")
				.source("urn:shop-service")
				.destination("urn:order.service")
				.requestUuid(java.util.UUID.randomUUID())
				.build())
			.withMessageContaining("destination: must use ':' as its only separator");
	}

	@Test
	void buildsOnlyDatesInTheYears1To9999() {
		assertThatExceptionOfType(InvalidRecordException.class)
			.isThrownBy(() -> event().date(Instant.parse("+10000-01-01T00:00:00Z")).build())
			.withMessageContaining("date: must lie in the years 1 to 9999");
		assertThatExceptionOfType(InvalidRecordException.class)
			.isThrownBy(() -> event().date(Instant.parse("0000-12-31T23:59:59.999Z")).build())
			.withMessageContaining("date: must lie in the years 1 to 9999");
		assertThat(event().date(Instant.parse("9999-12-31T23:59:59.999Z")).build().date())
			.isEqualTo(Instant.parse("9999-12-31T23:59:59.999Z"));
	}

	@Test
	void readsWhatItWouldNotWriteSoThatOldRecordsStayReadable() {
		EventyRecord written = event().build();
		EventyRecord old = new EventyRecord(RecordKind.EVENT, "urn:shop", "OrderPlaced", "1.0.0", "1.0.0-01",
				"urn:order.service", written.uuid(), "c", null, Instant.parse("+10000-01-01T00:00:00Z"), Map.of(),
				written.data(), null, null, null, null, null);
		assertThat(old.version()).isEqualTo("1.0.0-01");
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
