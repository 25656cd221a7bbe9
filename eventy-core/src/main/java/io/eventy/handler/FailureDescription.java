package io.eventy.handler;

/**
 * Describes a handler failure in one line, as the stores keep it with a record they retry
 * or give up on (PostgreSQL's {@code last_error} columns, the Kafka dead-letter error
 * header): the exception's class and message, and its cause unless the message already
 * names it, at most {@value #MAX_LENGTH} characters.
 */
final class FailureDescription {

	/** The longest description. */
	static final int MAX_LENGTH = 4000;

	private FailureDescription() {
	}

	/**
	 * Describe a failure.
	 * @param failure the failure
	 * @return its description, at most 4000 characters
	 */
	static String of(Throwable failure) {
		StringBuilder description = new StringBuilder(failure.getClass().getName());
		if (failure.getMessage() != null) {
			description.append(": ").append(failure.getMessage());
		}
		Throwable cause = failure.getCause();
		if (cause != null && cause != failure && (failure.getMessage() == null
				|| !failure.getMessage().contains(String.valueOf(cause.getMessage())))) {
			description.append(" (caused by ").append(cause).append(')');
		}
		return (description.length() > MAX_LENGTH) ? description.substring(0, MAX_LENGTH) : description.toString();
	}

}
