package io.eventy.sample;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.eventy.store.StreamId;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import org.jspecify.annotations.Nullable;

/**
 * An order id, which is the id of the order's stream: it must be what
 * {@link StreamId#of(String, String)} accepts (not blank, at most
 * {@value StreamId#MAX_LENGTH} characters). Checked where the id enters, so that a bad
 * one is a 400 naming the field rather than an {@link IllegalArgumentException} from deep
 * inside. {@code null} is valid (a new order gets a generated id).
 */
@Documented
@Constraint(validatedBy = ValidOrderId.Validator.class)
@Target({ ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
@interface ValidOrderId {

	/**
	 * The message when the rule is broken; the validator says which part.
	 * @return the message
	 */
	String message() default "must not be blank and at most " + StreamId.MAX_LENGTH + " characters";

	/**
	 * The validation groups.
	 * @return the groups
	 */
	Class<?>[] groups() default {};

	/**
	 * The payload.
	 * @return the payload
	 */
	Class<? extends Payload>[] payload() default {};

	/**
	 * Checks an order id with Eventy's own rules for stream ids.
	 */
	class Validator implements ConstraintValidator<ValidOrderId, String> {

		@Override
		public boolean isValid(@Nullable String orderId, ConstraintValidatorContext context) {
			if (orderId == null) {
				return true;
			}
			try {
				StreamId.of(OrderLedger.STREAM_TYPE, orderId);
				return true;
			}
			catch (IllegalArgumentException ex) {
				context.disableDefaultConstraintViolation();
				context
					.buildConstraintViolationWithTemplate(orderId.isBlank() ? "must not be blank"
							: "must be at most " + StreamId.MAX_LENGTH + " characters, was " + orderId.length())
					.addConstraintViolation();
				return false;
			}
		}

	}

}
