package io.eventy.record;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class UpcastingPayloadConverterTests {

	private static final ObjectMapper objectMapper = new ObjectMapper();

	private static final RecordUpcaster ONE_TO_TWO = RecordUpcaster.of("urn:shop:PriceSet", 1, "2.0.0", (data) -> {
		data.put("currency", "EUR");
		return data;
	});

	private static final RecordUpcaster TWO_TO_THREE = RecordUpcaster.of("urn:shop:PriceSet", 2, "3.0.0", (data) -> {
		ObjectNode next = objectMapper.createObjectNode();
		next.put("amount", data.get("cents").asLong() / 100.0);
		next.put("currency", data.get("currency").asText());
		return next;
	});

	private final RecordTypeRegistry registry = new RecordTypeRegistry("urn:shop");

	private final PayloadConverter jackson = new JacksonPayloadConverter(objectMapper);

	@Test
	void readsAnOlderMajorThroughAChainOfUpcasters() {
		UpcastingPayloadConverter converter = new UpcastingPayloadConverter(this.jackson, this.registry,
				List.of(TWO_TO_THREE, ONE_TO_TWO));
		EventyRecord stored = record("1.4.0", "{\"cents\":1250}");
		assertThat(converter.fromRecord(stored, PriceSet.class)).isEqualTo(new PriceSet(12.5, "EUR"));
		assertThat(stored.data().toString()).isEqualTo("{\"cents\":1250}");
	}

	@Test
	void readsTheSameMajorAsStored() {
		UpcastingPayloadConverter converter = new UpcastingPayloadConverter(this.jackson, this.registry, List.of());
		assertThat(converter.fromRecord(record("3.1.7", "{\"amount\":3.5,\"currency\":\"CHF\"}"), PriceSet.class))
			.isEqualTo(new PriceSet(3.5, "CHF"));
	}

	@Test
	void aClassWhoseMajorIsTooLargeToCompareReadsTheDataAsStored() {
		UpcastingPayloadConverter converter = new UpcastingPayloadConverter(this.jackson, this.registry, List.of());
		assertThat(converter.fromRecord(record("Huge", "1.0.0", "{\"cents\":7}"), Huge.class)).isEqualTo(new Huge(7));
	}

	@Test
	void aMissingUpcasterIsNamedAndNothingIsGuessed() {
		UpcastingPayloadConverter converter = new UpcastingPayloadConverter(this.jackson, this.registry,
				List.of(ONE_TO_TWO));
		EventyRecord stored = record("1.0.0", "{\"cents\":1250}");
		assertThatExceptionOfType(PayloadConversionException.class)
			.isThrownBy(() -> converter.fromRecord(stored, PriceSet.class))
			.withMessageStartingWith("No upcaster reads urn:shop:PriceSet 2.x: the urn:shop:PriceSet record "
					+ stored.uuid() + " is of version 1.0.0 (2.0.0 after upcasting) and " + PriceSet.class.getName()
					+ " reads 3.x. " + "Declare a RecordUpcaster for urn:shop:PriceSet from major 2.");
	}

	@Test
	void withoutAnyUpcasterAnOlderMajorIsRefused() {
		RecordFactory factory = new RecordFactory(this.registry, this.jackson, PayloadValidator.none(), "urn:shop");
		assertThatExceptionOfType(PayloadConversionException.class)
			.isThrownBy(() -> factory.converter().fromRecord(record("2.0.0", "{\"cents\":1}"), PriceSet.class))
			.withMessageStartingWith("No upcaster reads urn:shop:PriceSet 2.x");
	}

	@Test
	void aRecordReadAsAClassThatIsNoRecordTypeOfItsNameIsConvertedAsItIs() {
		UpcastingPayloadConverter converter = new UpcastingPayloadConverter(this.jackson, this.registry, List.of());
		EventyRecord stored = record("1.0.0", "{\"cents\":1250}");
		assertThat(converter.fromRecord(stored, java.util.Map.class)).isEqualTo(java.util.Map.of("cents", 1250));
		assertThat(converter.fromRecord(stored, Cents.class)).isEqualTo(new Cents(1250));
		assertThat(converter.fromRecord(stored, OtherType.class)).isEqualTo(new OtherType(1250));
		assertThat(this.registry.descriptors()).isEmpty();
	}

	@Test
	void aNewerMajorThanTheClassIsRefused() {
		UpcastingPayloadConverter converter = new UpcastingPayloadConverter(this.jackson, this.registry, List.of());
		assertThatExceptionOfType(PayloadConversionException.class)
			.isThrownBy(() -> converter.fromRecord(record("4.0.0", "{\"amount\":1}"), PriceSet.class))
			.withMessageContaining("is of version 4.0.0, newer than " + PriceSet.class.getName() + " reads (3.x)");
	}

	@Test
	void refusesAnUpcasterThatDoesNotMoveToAGreaterMajor() {
		RecordUpcaster backwards = RecordUpcaster.of("urn:shop:PriceSet", 2, "2.5.0", (data) -> data);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new UpcastingPayloadConverter(this.jackson, this.registry, List.of(backwards)))
			.withMessageContaining("must move to a SemVer version of a major above 2, not '2.5.0'");
	}

	@Test
	void refusesTwoUpcastersOfOneMajor() {
		RecordUpcaster again = RecordUpcaster.of("urn:shop:PriceSet", 1, "2.1.0", (data) -> data);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new UpcastingPayloadConverter(this.jackson, this.registry, List.of(ONE_TO_TWO, again)))
			.withMessageStartingWith("Two upcasters read urn:shop:PriceSet 1.x");
	}

	@Test
	void readsARenamedRecordTypeAsTheNewOneThroughTheUpcastersOfBothNames() {
		RecordUpcaster rename = RecordUpcaster.of("urn:shop:Price", 1, "urn:shop:PriceSet", "2.0.0", (data) -> {
			data.put("currency", "CHF");
			return data;
		});
		UpcastingPayloadConverter converter = new UpcastingPayloadConverter(this.jackson, this.registry,
				List.of(TWO_TO_THREE, rename));
		EventyRecord stored = record("Price", "1.2.0", "{\"cents\":1250}");
		assertThat(converter.fromRecord(stored, PriceSet.class)).isEqualTo(new PriceSet(12.5, "CHF"));
		assertThat(converter.namesReadAs("urn:shop:PriceSet")).containsExactly("urn:shop:PriceSet", "urn:shop:Price");
		assertThat(converter.namesReadAs("urn:shop:Price")).containsExactly("urn:shop:Price");
		assertThat(converter.missing("urn:shop:Price", 1, "urn:shop:PriceSet", 3)).isNull();
		assertThat(rename).hasToString("upcaster of urn:shop:Price from 1.x to urn:shop:PriceSet 2.0.0");
	}

	@Test
	void namesEveryFormerNameOfARecordTypeRenamedTwice() {
		RecordUpcaster first = RecordUpcaster.of("urn:shop:Cost", 1, "urn:shop:Price", "1.0.0", (data) -> data);
		RecordUpcaster second = RecordUpcaster.of("urn:shop:Price", 1, "urn:shop:PriceSet", "3.0.0", (data) -> {
			data.put("amount", data.remove("cents").asLong() / 100.0);
			data.put("currency", "EUR");
			return data;
		});
		UpcastingPayloadConverter converter = new UpcastingPayloadConverter(this.jackson, this.registry,
				List.of(first, second));
		assertThat(converter.namesReadAs("urn:shop:PriceSet")).containsExactly("urn:shop:PriceSet", "urn:shop:Cost",
				"urn:shop:Price");
		assertThat(converter.fromRecord(record("Cost", "1.0.0", "{\"cents\":300}"), PriceSet.class))
			.isEqualTo(new PriceSet(3.0, "EUR"));
	}

	@Test
	void aFormerNameWithoutAnUpcasterForItsMajorIsNamedAndNothingIsGuessed() {
		RecordUpcaster rename = RecordUpcaster.of("urn:shop:Price", 1, "urn:shop:PriceSet", "3.0.0", (data) -> data);
		UpcastingPayloadConverter converter = new UpcastingPayloadConverter(this.jackson, this.registry,
				List.of(rename));
		EventyRecord stored = record("Price", "2.0.0", "{\"amount\":1,\"currency\":\"EUR\"}");
		assertThatExceptionOfType(PayloadConversionException.class)
			.isThrownBy(() -> converter.fromRecord(stored, PriceSet.class))
			.withMessageStartingWith("No upcaster reads urn:shop:Price 2.x: the urn:shop:Price record " + stored.uuid()
					+ " is of version 2.0.0 and " + PriceSet.class.getName() + " reads urn:shop:PriceSet 3.x.");
		assertThat(converter.missing("urn:shop:Price", 2, "urn:shop:PriceSet", 3))
			.contains("no upcaster reads urn:shop:Price 2.x");
	}

	@Test
	void refusesUpcastersThatRenameARecordTypeBackToAFormerName() {
		RecordUpcaster there = RecordUpcaster.of("urn:shop:Price", 1, "urn:shop:PriceSet", "1.0.0", (data) -> data);
		RecordUpcaster back = RecordUpcaster.of("urn:shop:PriceSet", 1, "urn:shop:Price", "2.0.0", (data) -> data);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new UpcastingPayloadConverter(this.jackson, this.registry, List.of(there, back)))
			.withMessageContaining("a record type cannot be renamed back to a name it had");
	}

	@Test
	void refusesARenameToANameWithoutNamespace() {
		RecordUpcaster rename = RecordUpcaster.of("urn:shop:Price", 1, "PriceSet", "1.0.0", (data) -> data);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new UpcastingPayloadConverter(this.jackson, this.registry, List.of(rename)))
			.withMessageContaining("must rename to a qualified name, namespace:name, not 'PriceSet'");
	}

	@Test
	void writesAndReadsSubmittedDataThroughTheConverterItWraps() {
		UpcastingPayloadConverter converter = new UpcastingPayloadConverter(this.jackson, this.registry, List.of());
		ObjectNode data = converter.toData(new PriceSet(2.0, "EUR"));
		assertThat(converter.fromSubmittedData(data, PriceSet.class)).isEqualTo(new PriceSet(2.0, "EUR"));
		assertThat(converter.converter()).isSameAs(this.jackson);
	}

	private static EventyRecord record(String version, String data) {
		return record("PriceSet", version, data);
	}

	private static EventyRecord record(String name, String version, String data) {
		try {
			return EventyRecord.builder(RecordKind.EVENT)
				.namespace("urn:shop")
				.name(name)
				.version(version)
				.source("urn:shop")
				.data(objectMapper.readTree(data))
				.build();
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@RecordType(namespace = "urn:shop", name = "PriceSet", version = "3.0.0")
	record PriceSet(double amount, String currency) {
	}

	record Cents(long cents) {
	}

	@RecordType(namespace = "urn:shop", name = "Huge", version = "3000000000.0.0")
	record Huge(long cents) {
	}

	@RecordType(namespace = "urn:shop", name = "Cents", version = "5.0.0")
	record OtherType(long cents) {
	}

}
