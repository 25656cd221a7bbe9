package io.eventy.record;

/**
 * Checks a payload before anything is stored or sent.
 */
@FunctionalInterface
public interface PayloadValidator {

	/**
	 * Check a payload.
	 * @param payload the payload
	 * @param descriptor its record type
	 * @throws InvalidRecordException naming each violation
	 */
	void validate(Object payload, RecordTypeDescriptor descriptor);

	/**
	 * Return a validator that accepts everything, for when Bean Validation is absent.
	 * @return a validator that does nothing
	 */
	static PayloadValidator none() {
		return (payload, descriptor) -> {
		};
	}

}
