package io.eventy.record;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * Reads where in the data a Jackson 3 failure happened. Loaded only for an exception of
 * Jackson 3, so never without Jackson 3 on the classpath.
 */
final class Jackson3Errors {

	private Jackson3Errors() {
	}

	/**
	 * Describe a failure of Jackson 3 as a path into the data and the message without its
	 * location.
	 * @param failure a {@code tools.jackson} exception
	 * @return the path (such as {@code data.floor}) and the message, or {@code null} when
	 * the failure is not one of Jackson 3's
	 */
	static String @Nullable [] describe(Throwable failure) {
		if (!(failure instanceof JacksonException jackson)) {
			return null;
		}
		StringBuilder path = new StringBuilder("data");
		for (JacksonException.Reference reference : jackson.getPath()) {
			if (reference.getPropertyName() != null) {
				path.append('.').append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return new String[] { path.toString(), jackson.getOriginalMessage() };
	}

}
