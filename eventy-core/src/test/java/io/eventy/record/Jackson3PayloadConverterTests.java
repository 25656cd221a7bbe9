package io.eventy.record;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class Jackson3PayloadConverterTests {

	private static final ObjectMapper jackson2 = new ObjectMapper();

	private final Jackson3PayloadConverter converter = new Jackson3PayloadConverter(
			JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build());

	@Test
	void recordPayloadRoundTripsThroughData() {
		OrderPlaced order = new OrderPlaced("42", 1200, new BigDecimal("12.10"), List.of("book", "pen"),
				new Address("Lyon", "69001"));
		ObjectNode data = this.converter.toData(order);
		assertThat(data.toString()).isEqualTo("{\"orderId\":\"42\",\"amountCents\":1200,\"total\":12.10,"
				+ "\"items\":[\"book\",\"pen\"],\"address\":{\"city\":\"Lyon\",\"zip\":\"69001\"}}");
		assertThat(this.converter.fromData(data, OrderPlaced.class)).isEqualTo(order);
	}

	@Test
	void dataReadBackFromJsonConvertsToThePayload() throws Exception {
		JsonNode data = jackson2
			.readTree("{\"orderId\":\"42\",\"amountCents\":1200,\"total\":12.1," + "\"items\":[],\"address\":null}");
		assertThat(this.converter.fromData(data, OrderPlaced.class))
			.isEqualTo(new OrderPlaced("42", 1200, new BigDecimal("12.1"), List.of(), null));
	}

	@Test
	void numbersKeepTheirTypeAndExactValueBothWays() throws Exception {
		JsonNode data = jackson2.readTree("{\"int\":1,\"long\":12345678901,\"big\":123456789012345678901234567890,"
				+ "\"double\":0.5,\"flag\":true,\"nothing\":null,\"nested\":[{\"text\":\"é\"}]}");
		tools.jackson.databind.JsonNode copy = this.converter.fromData(data, tools.jackson.databind.JsonNode.class);
		assertThat(copy.get("int").isInt()).isTrue();
		assertThat(copy.get("long").isLong()).isTrue();
		assertThat(copy.get("big").bigIntegerValue()).isEqualTo(new BigInteger("123456789012345678901234567890"));
		assertThat(copy.get("double").isDouble()).isTrue();
		assertThat(copy.toString()).isEqualTo(data.toString());
		Map<String, Object> decimals = Map.of("exact", new BigDecimal("1.10"), "short", (short) 7);
		ObjectNode written = this.converter.toData(decimals);
		assertThat(written.get("exact").decimalValue()).isEqualTo(new BigDecimal("1.10"));
		assertThat(written.get("short").isShort()).isTrue();
	}

	@Test
	void namingStrategyOfTheApplicationsMapperShapesTheData() {
		Jackson3PayloadConverter converter = new Jackson3PayloadConverter(
				JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build());
		ObjectNode data = converter.toData(new Address("Lyon", "69001"));
		Shipment shipment = new Shipment("s-1", 3);
		ObjectNode shipmentData = converter.toData(shipment);
		assertThat(data.toString()).isEqualTo("{\"city\":\"Lyon\",\"zip\":\"69001\"}");
		assertThat(shipmentData.toString()).isEqualTo("{\"shipment_id\":\"s-1\",\"parcel_count\":3}");
		assertThat(converter.fromData(shipmentData, Shipment.class)).isEqualTo(shipment);
	}

	@Test
	void moduleOfTheApplicationsMapperWritesAndReadsItsTypes() {
		SimpleModule money = new SimpleModule("money").addSerializer(Money.class, new MoneySerializer())
			.addDeserializer(Money.class, new MoneyDeserializer());
		Jackson3PayloadConverter converter = new Jackson3PayloadConverter(
				JsonMapper.builder().addModule(money).build());
		Invoice invoice = new Invoice("i-1", new Money(1250, "EUR"));
		ObjectNode data = converter.toData(invoice);
		assertThat(data.toString()).isEqualTo("{\"invoiceId\":\"i-1\",\"amount\":\"1250 EUR\"}");
		assertThat(converter.fromData(data, Invoice.class)).isEqualTo(invoice);
	}

	@Test
	void storedDataWithAnUnknownPropertyIsReadAsTheApplicationsMapperSays() throws Exception {
		JsonNode data = jackson2.readTree("{\"city\":\"Lyon\",\"zip\":\"69001\",\"floor\":3}");
		assertThat(this.converter.fromData(data, Address.class)).isEqualTo(new Address("Lyon", "69001"));
	}

	@Test
	void submittedDataWithAnUnknownPropertyIsRefused() throws Exception {
		JsonNode data = jackson2.readTree("{\"city\":\"Lyon\",\"zip\":\"69001\",\"floor\":3}");
		assertThatExceptionOfType(PayloadConversionException.class)
			.isThrownBy(() -> this.converter.fromSubmittedData(data, Address.class))
			.withMessageContaining("Record data does not convert to " + Address.class.getName())
			.withMessageContaining("floor");
	}

	@Test
	void submittedDataWithNullOrNoValueForAPrimitiveIsRefused() throws Exception {
		JsonNode nullCount = jackson2.readTree("{\"shipmentId\":\"s-1\",\"parcelCount\":null}");
		JsonNode noCount = jackson2.readTree("{\"shipmentId\":\"s-1\"}");
		assertThatExceptionOfType(PayloadConversionException.class)
			.isThrownBy(() -> this.converter.fromSubmittedData(nullCount, Shipment.class));
		assertThatExceptionOfType(PayloadConversionException.class)
			.isThrownBy(() -> this.converter.fromSubmittedData(noCount, Shipment.class));
	}

	@Test
	void submittedDataThatFitsIsRead() throws Exception {
		JsonNode data = jackson2.readTree("{\"shipmentId\":\"s-1\",\"parcelCount\":2}");
		assertThat(this.converter.fromSubmittedData(data, Shipment.class)).isEqualTo(new Shipment("s-1", 2));
	}

	@Test
	void dataThatDoesNotFitThePayloadTypeFailsNamingTheType() throws Exception {
		JsonNode data = jackson2.readTree("{\"shipmentId\":{\"nested\":true},\"parcelCount\":\"many\"}");
		assertThatExceptionOfType(PayloadConversionException.class)
			.isThrownBy(() -> this.converter.fromData(data, Shipment.class))
			.withMessageStartingWith("Record data does not convert to " + Shipment.class.getName());
	}

	@Test
	void payloadThatIsNotWrittenAsAJsonObjectIsRefused() {
		assertThatExceptionOfType(InvalidRecordException.class).isThrownBy(() -> this.converter.toData(new Code("A-1")))
			.satisfies((ex) -> assertThat(ex.violations())
				.containsExactly("data: must be a JSON object, " + Code.class.getName() + " is written as STRING"));
	}

	@Test
	void payloadThatCannotBeWrittenIsRefused() {
		assertThatExceptionOfType(InvalidRecordException.class).isThrownBy(() -> this.converter.toData(new Broken("x")))
			.satisfies((ex) -> assertThat(ex.violations()).singleElement()
				.asString()
				.startsWith("data: cannot be written as JSON: ")
				.contains("no value yet"));
	}

	@Test
	void dataIsReadAsAJackson3JsonNodeOrObjectNode() throws Exception {
		JsonNode data = jackson2.readTree("{\"city\":\"Lyon\",\"zip\":\"69001\"}");
		tools.jackson.databind.JsonNode node = this.converter.fromData(data, tools.jackson.databind.JsonNode.class);
		tools.jackson.databind.node.ObjectNode object = this.converter.fromData(data,
				tools.jackson.databind.node.ObjectNode.class);
		assertThat(node.get("city").stringValue()).isEqualTo("Lyon");
		assertThat(object.propertyNames()).containsExactly("city", "zip");
	}

	@Test
	void dataIsReturnedAsItIsForAJackson2JsonNode() throws Exception {
		JsonNode data = jackson2.readTree("{\"city\":\"Lyon\"}");
		assertThat(this.converter.fromData(data, JsonNode.class)).isSameAs(data);
		assertThat(this.converter.fromData(data, ObjectNode.class)).isSameAs(data);
	}

	record OrderPlaced(String orderId, long amountCents, BigDecimal total, List<String> items, Address address) {
	}

	record Address(String city, String zip) {
	}

	record Shipment(String shipmentId, int parcelCount) {
	}

	record Invoice(String invoiceId, Money amount) {
	}

	record Money(long cents, String currency) {
	}

	record Code(@JsonValue String value) {
	}

	record Broken(String value) {

		@Override
		public String value() {
			throw new IllegalStateException("no value yet");
		}

	}

	static class MoneySerializer extends ValueSerializer<Money> {

		@Override
		public void serialize(Money value, JsonGenerator generator, SerializationContext context) {
			generator.writeString(value.cents() + " " + value.currency());
		}

	}

	static class MoneyDeserializer extends ValueDeserializer<Money> {

		@Override
		public Money deserialize(JsonParser parser, DeserializationContext context) {
			String[] parts = parser.getString().split(" ");
			return new Money(Long.parseLong(parts[0]), parts[1]);
		}

	}

	@Test
	void warnsOnceAboutJackson2DatabindAnnotationsThatJackson3Ignores() {
		Logger logger = (Logger) LoggerFactory.getLogger(Jackson3PayloadConverter.class);
		ListAppender<ILoggingEvent> logs = new ListAppender<>();
		logs.start();
		logger.addAppender(logs);
		try {
			ObjectNode data = this.converter.toData(new SnakeCased("42"));
			this.converter.fromData(data, SnakeCased.class);
			this.converter.toData(new SnakeCased("43"));
		}
		finally {
			logger.detachAppender(logs);
		}
		assertThat(logs.list).singleElement()
			.satisfies((event) -> assertThat(event.getFormattedMessage()).contains(SnakeCased.class.getName())
				.contains("@JsonNaming")
				.contains("tools.jackson.databind.annotation"));
		assertThat(Jackson2Annotations.find(OrderPlaced.class)).isEmpty();
	}

	/**
	 * A payload written for Jackson 2: Jackson 3 does not see the naming strategy.
	 *
	 * @param orderId the order
	 */
	@JsonNaming(com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
	record SnakeCased(String orderId) {
	}

}
