package io.eventy.autoconfigure;

import java.util.Objects;

/**
 * Thrown at startup when Eventy's configuration cannot work, with a description of what
 * is wrong and the action that fixes it. A failure analyzer prints both instead of a
 * stack trace.
 */
public class EventyConfigurationException extends RuntimeException {

	private final String description;

	private final String action;

	/**
	 * Create a new exception.
	 * @param description what is wrong, naming the properties involved
	 * @param action what to do about it
	 */
	public EventyConfigurationException(String description, String action) {
		super(Objects.requireNonNull(description, "description") + " " + Objects.requireNonNull(action, "action"));
		this.description = description;
		this.action = action;
	}

	/**
	 * Return what is wrong.
	 * @return the description
	 */
	public String getDescription() {
		return this.description;
	}

	/**
	 * Return what to do about it.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
