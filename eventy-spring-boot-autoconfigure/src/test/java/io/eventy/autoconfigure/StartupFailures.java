package io.eventy.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;

/**
 * Reads the messages of a failed startup.
 */
public final class StartupFailures {

	private StartupFailures() {
	}

	/**
	 * Return the messages of a failure and of all its causes, one per line.
	 * @param failure the startup failure
	 * @return the messages
	 */
	public static String messages(Throwable failure) {
		List<String> messages = new ArrayList<>();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.add(String.valueOf(cause.getMessage()));
			if (cause.getCause() == cause) {
				break;
			}
		}
		return String.join("\n", messages);
	}

	/**
	 * Return the property whose value failed to bind, as Spring Boot's failure analysis
	 * reports it, followed by the reason.
	 * @param failure the startup failure
	 * @return {@code <property>: <root cause message>}, or the messages when no property
	 * failed to bind
	 */
	public static String boundProperty(Throwable failure) {
		Throwable root = failure;
		ConfigurationProperty property = null;
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BindException bind && bind.getProperty() != null) {
				property = bind.getProperty();
			}
			root = cause;
			if (cause.getCause() == cause) {
				break;
			}
		}
		return (property != null) ? property.getName() + ": " + root.getMessage() : messages(failure);
	}

}
