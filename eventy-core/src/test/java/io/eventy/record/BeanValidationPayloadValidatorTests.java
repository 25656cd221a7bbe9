package io.eventy.record;

import java.util.List;
import java.util.Locale;

import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.hibernate.validator.HibernateValidator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BeanValidationPayloadValidatorTests {

	private final jakarta.validation.ValidatorFactory factory = Validation.byProvider(HibernateValidator.class)
		.configure()
		.defaultLocale(Locale.ENGLISH)
		.buildValidatorFactory();

	private final Validator validator = this.factory.getValidator();

	private final RecordTypeDescriptor descriptor = RecordTypeDescriptor.of(OrderPlaced.class, "urn:shop");

	@AfterEach
	void close() {
		this.factory.close();
	}

	@Test
	void listsEveryViolationSortedAsPathAndMessageNamingTheRecordType() {
		OrderPlaced invalid = new OrderPlaced(" ", -5, List.of(new Line("A-1"), new Line("")));
		assertThatExceptionOfType(InvalidRecordException.class)
			.isThrownBy(() -> new BeanValidationPayloadValidator(this.validator).validate(invalid, this.descriptor))
			.withMessageStartingWith("Invalid record urn:shop:OrderPlaced: ")
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.violations())
				.containsExactly("amountCents: must be greater than 0", "lines[1].sku: must not be blank",
						"orderId: must not be blank"));
	}

	@Test
	void acceptsAValidPayload() {
		OrderPlaced valid = new OrderPlaced("42", 1200, List.of(new Line("A-1")));
		assertThatCode(() -> new BeanValidationPayloadValidator(this.validator).validate(valid, this.descriptor))
			.doesNotThrowAnyException();
	}

	@RecordType
	record OrderPlaced(@NotBlank String orderId, @Positive long amountCents, List<@Valid Line> lines) {
	}

	record Line(@NotBlank String sku) {
	}

}
