package io.eventy.autoconfigure;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * The identity of this service in the records it writes: its name (the source is
 * {@code urn:<name>}) and the namespace of record types that declare none.
 *
 * @param name the service name
 * @param namespace the default namespace, a URN
 */
record EventyService(String name, String namespace) {

	static final String APPLICATION_NAME_PROPERTY = "spring.application.name";

	/**
	 * Resolve the service from {@code eventy.service.*}, falling back to
	 * {@code spring.application.name}. There is no made-up default: the name ends up in
	 * every stored record's source and in the qualified names of record types without a
	 * namespace, so a name that changes later (from a default to a real one) would orphan
	 * the records already written.
	 * @param properties the Eventy properties
	 * @param environment the environment
	 * @return the service identity
	 * @throws EventyConfigurationException if no name is configured
	 */
	static EventyService resolve(EventyProperties properties, Environment environment) {
		String name = properties.getService().getName();
		if (name == null) {
			name = environment.getProperty(APPLICATION_NAME_PROPERTY);
		}
		if (!StringUtils.hasText(name)) {
			throw new EventyConfigurationException(
					"Eventy needs the name of this service: it is written into every record as its source "
							+ "('urn:<name>') and names the default namespace of record types, but neither "
							+ "'eventy.service.name' nor 'spring.application.name' is set.",
					"Set 'spring.application.name' (or 'eventy.service.name' to use another name for records).");
		}
		name = name.strip();
		String namespace = properties.getService().getNamespace();
		return new EventyService(name, (namespace != null) ? namespace : "urn:" + name);
	}

	/**
	 * Return the URN written as the source of this service's records.
	 * @return {@code urn:<name>}
	 */
	String source() {
		return "urn:" + this.name;
	}

}
