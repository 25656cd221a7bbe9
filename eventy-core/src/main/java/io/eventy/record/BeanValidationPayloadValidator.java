package io.eventy.record;

import jakarta.validation.Validator;

/**
 * A {@link PayloadValidator} on Jakarta Bean Validation. (stub: being implemented)
 */
public final class BeanValidationPayloadValidator implements PayloadValidator {

	/**
	 * Create a validator.
	 * @param validator the Bean Validation validator
	 */
	public BeanValidationPayloadValidator(Validator validator) {
	}

	@Override
	public void validate(Object payload, RecordTypeDescriptor descriptor) {
		throw new UnsupportedOperationException("not yet");
	}

}
