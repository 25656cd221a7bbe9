package io.eventy.store;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.record.BeanValidationPayloadValidator;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordKind;
import io.eventy.record.RecordType;
import io.eventy.record.RecordTypeRegistry;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * Payload types and a record factory for store tests.
 */
public final class StoreTestRecords {

	/** The namespace of the test record types. */
	public static final String NAMESPACE = "urn:shop";

	/** The source of records written by tests. */
	public static final String SOURCE = "urn:order-service";

	private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

	private StoreTestRecords() {
	}

	/**
	 * Return a record factory with every test type registered and Bean Validation on.
	 * @return a new record factory
	 */
	public static RecordFactory recordFactory() {
		RecordTypeRegistry registry = new RecordTypeRegistry("urn:order-service");
		registry.register(OrderPlaced.class);
		registry.register(OrderShipped.class);
		registry.register(Note.class);
		registry.register(PaymentRequested.class);
		return new RecordFactory(registry, new JacksonPayloadConverter(new ObjectMapper()), beanValidation(), SOURCE);
	}

	/**
	 * Return a payload validator on Bean Validation (Hibernate Validator).
	 * @return the validator
	 */
	public static PayloadValidator beanValidation() {
		return new BeanValidationPayloadValidator(VALIDATOR);
	}

	/**
	 * An order was placed.
	 *
	 * @param orderId the order
	 * @param amountCents the amount
	 */
	@RecordType(namespace = NAMESPACE, name = "OrderPlaced", version = "1.2.0")
	public record OrderPlaced(@NotBlank String orderId, @PositiveOrZero long amountCents) {
	}

	/**
	 * An order was shipped.
	 *
	 * @param orderId the order
	 */
	@RecordType(namespace = NAMESPACE, name = "OrderShipped")
	public record OrderShipped(@NotBlank String orderId) {
	}

	/**
	 * Free text, to carry hostile strings.
	 *
	 * @param text the text
	 */
	@RecordType(namespace = NAMESPACE, name = "Note")
	public record Note(String text) {
	}

	/**
	 * A request, to check kinds.
	 *
	 * @param orderId the order to pay
	 */
	@RecordType(namespace = NAMESPACE, name = "PaymentRequested", kind = RecordKind.REQUEST)
	public record PaymentRequested(@NotBlank String orderId) {
	}

}
