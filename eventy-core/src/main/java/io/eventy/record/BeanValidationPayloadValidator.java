package io.eventy.record;

import java.util.Objects;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

/**
 * A {@link PayloadValidator} on Jakarta Bean Validation: a payload with constraint
 * violations is refused with an {@link InvalidRecordException} that lists every violation
 * as {@code propertyPath: message}, sorted, and names the record type.
 */
public final class BeanValidationPayloadValidator implements PayloadValidator {

	private final Validator validator;

	/**
	 * Create a validator.
	 * @param validator the Bean Validation validator
	 */
	public BeanValidationPayloadValidator(Validator validator) {
		this.validator = Objects.requireNonNull(validator, "validator");
	}

	@Override
	public void validate(Object payload, RecordTypeDescriptor descriptor) {
		Set<ConstraintViolation<Object>> violations = this.validator.validate(payload);
		if (!violations.isEmpty()) {
			throw new InvalidRecordException(descriptor.qualifiedName(),
					violations.stream().map(BeanValidationPayloadValidator::describe).sorted().toList());
		}
	}

	private static String describe(ConstraintViolation<Object> violation) {
		String path = violation.getPropertyPath().toString();
		// a class-level constraint has an empty path: it is about the data as a whole
		return (path.isEmpty() ? "data" : path) + ": " + violation.getMessage();
	}

}
