package io.eventy.record;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.hibernate.validator.HibernateValidator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RecordFactoryTests {

	private final ValidatorFactory validation = Validation.byProvider(HibernateValidator.class)
		.configure()
		.defaultLocale(Locale.ENGLISH)
		.buildValidatorFactory();

	// as Spring Boot configures it: unknown properties are ignored when reading
	private final ObjectMapper objectMapper = new ObjectMapper()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

	private final RecordTypeRegistry registry = new RecordTypeRegistry("urn:shop");

	private final RecordFactory factory = new RecordFactory(this.registry,
			new JacksonPayloadConverter(this.objectMapper),
			new BeanValidationPayloadValidator(this.validation.getValidator()), "urn:order-service");

	@AfterEach
	void close() {
		this.validation.close();
	}

	@Test
	void refusesASourceWithADotThatPythonEventyWouldRefuseAsADestination() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RecordFactory(this.registry, new JacksonPayloadConverter(new ObjectMapper()),
					PayloadValidator.none(), "urn:order.service"))
			.withMessageContaining("never '.'");
	}

	@Test
	void createsARecordWithThePayloadTypesIdentity() {
		EventyRecord record = this.factory.create(new OrderPlaced("42", 1200), "order-42");
		assertThat(record.kind()).isEqualTo(RecordKind.EVENT);
		assertThat(record.qualifiedName()).isEqualTo("urn:shop:OrderPlaced");
		assertThat(record.version()).isEqualTo("1.1.0");
		assertThat(record.source()).isEqualTo("urn:order-service");
		assertThat(record.partitionKey()).isEqualTo("order-42");
		assertThat(record.data())
			.isEqualTo(this.objectMapper.valueToTree(Map.of("orderId", "42", "amountCents", 1200L)));
	}

	@Test
	void picksCorrelationIdAndContextFromTheOpenScope() {
		Map<String, Object> context = Map.of("user", Map.of("id", "u-1"));
		try (EventyContextHolder.Scope scope = EventyContextHolder
			.open(new EventyContext("trace-1", "request-1", null, null, context))) {
			EventyRecord record = this.factory.create(new OrderPlaced("42", 1200), null);
			assertThat(record.correlationId()).isEqualTo("trace-1");
			assertThat(record.context()).isEqualTo(context);
			EventyRecord byName = this.factory.create("urn:shop:OrderPlaced", Map.of("orderId", "42", "amountCents", 1),
					null);
			assertThat(byName.correlationId()).isEqualTo("trace-1");
			assertThat(byName.context()).isEqualTo(context);
		}
		EventyRecord outside = this.factory.create(new OrderPlaced("42", 1200), null);
		assertThat(outside.correlationId()).isNotEqualTo("trace-1").matches("[0-9a-f]{32}");
		assertThat(outside.context()).isEmpty();
	}

	@Test
	void refusesAnInvalidPayloadListingEveryViolation() {
		assertThatExceptionOfType(InvalidRecordException.class)
			.isThrownBy(() -> this.factory.create(new OrderPlaced("", 0), null))
			.satisfies((ex) -> assertThat(ex.violations()).containsExactly("amountCents: must be greater than 0",
					"orderId: must not be blank"));
	}

	@Test
	void refusesAMapOrAJsonTreeAsAPayloadPointingToCreateByName() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.factory.create(new LinkedHashMap<>(Map.of("orderId", "42")), null))
			.withMessageContaining("cannot be a record type");
	}

	@Test
	void createsARecordByNameWithTheDataAsThePayloadTypeWritesIt() {
		this.registry.register(OrderPlaced.class);
		EventyRecord record = this.factory.create("urn:shop:OrderPlaced",
				Map.of("orderId", "42", "amountCents", "1200"), "order-42");
		assertThat(record.qualifiedName()).isEqualTo("urn:shop:OrderPlaced");
		assertThat(record.data())
			.isEqualTo(this.objectMapper.valueToTree(Map.of("orderId", "42", "amountCents", 1200L)));
	}

	@Test
	void createByNameRefusesDataOfTheWrongTypeNamingTheProperty() {
		this.registry.register(OrderPlaced.class);
		assertThatExceptionOfType(InvalidRecordException.class).isThrownBy(
				() -> this.factory.create("urn:shop:OrderPlaced", Map.of("orderId", "42", "amountCents", "lots"), null))
			.withMessageStartingWith("Invalid record urn:shop:OrderPlaced: ")
			.satisfies((ex) -> assertThat(ex.violations()).singleElement()
				.asString()
				.startsWith("data.amountCents: does not fit " + OrderPlaced.class.getName()));
	}

	@Test
	void createByNameRefusesAPropertyTheTypeDoesNotHaveEvenWhenTheMapperIgnoresThem() {
		this.registry.register(OrderPlaced.class);
		assertThatExceptionOfType(InvalidRecordException.class)
			.isThrownBy(() -> this.factory.create("urn:shop:OrderPlaced",
					Map.of("orderId", "42", "amountCents", 1200, "colour", "red"), null))
			.satisfies((ex) -> assertThat(ex.violations()).singleElement()
				.asString()
				.startsWith("data.colour: does not fit"));
	}

	@Test
	void createByNameRefusesAMissingPrimitiveOfAJavaRecord() {
		this.registry.register(OrderPlaced.class);
		assertThatExceptionOfType(InvalidRecordException.class)
			.isThrownBy(() -> this.factory.create("urn:shop:OrderPlaced", Map.of("orderId", "42"), null))
			.satisfies((ex) -> assertThat(ex.violations()).singleElement()
				.asString()
				.startsWith("data.amountCents: does not fit"));
	}

	@Test
	void createByNameRefusesNullForAPrimitive() {
		this.registry.register(OrderPlaced.class);
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("orderId", "42");
		data.put("amountCents", null);
		assertThatExceptionOfType(InvalidRecordException.class)
			.isThrownBy(() -> this.factory.create("urn:shop:OrderPlaced", data, null))
			.satisfies((ex) -> assertThat(ex.violations()).singleElement()
				.asString()
				.startsWith("data.amountCents: does not fit"));
	}

	@Test
	void createByNameValidatesThePayload() {
		this.registry.register(OrderPlaced.class);
		assertThatExceptionOfType(InvalidRecordException.class)
			.isThrownBy(
					() -> this.factory.create("urn:shop:OrderPlaced", Map.of("orderId", "42", "amountCents", -5), null))
			.satisfies((ex) -> assertThat(ex.violations()).isEqualTo(List.of("amountCents: must be greater than 0")));
	}

	@Test
	void createByNameRefusesAnUnknownName() {
		assertThatExceptionOfType(UnknownRecordTypeException.class)
			.isThrownBy(() -> this.factory.create("urn:shop:Nope", Map.of(), null))
			.withMessageContaining("urn:shop:Nope");
	}

	@Test
	void keepsARecordPassedAsPayloadSettingOnlyAMissingPartitionKey() {
		EventyRecord record = this.factory.create(new OrderPlaced("42", 1200), null);
		assertThat(this.factory.create(record, null)).isSameAs(record);
		EventyRecord keyed = this.factory.create(record, "order-42");
		assertThat(keyed.partitionKey()).isEqualTo("order-42");
		assertThat(keyed.uuid()).isEqualTo(record.uuid());
		assertThat(this.factory.create(keyed, "other")).isSameAs(keyed);
	}

	@RecordType(version = "1.1.0")
	record OrderPlaced(@NotBlank String orderId, @Positive long amountCents) {
	}

}
