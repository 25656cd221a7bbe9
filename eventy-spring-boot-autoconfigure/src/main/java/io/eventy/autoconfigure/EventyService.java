package io.eventy.autoconfigure;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * The identity of this service in the records it writes: its name (the source of its
 * records is {@code urn:<name>}; the Kafka store names its topics and consumer groups
 * after it) and the namespace of record types that declare none.
 * <p>
 * {@link EventyAutoConfiguration} defines it as a bean resolved with
 * {@link #resolve(EventyProperties, Environment)}, and the record factory, the record
 * type registry and the Kafka store take their names from that bean. An application may
 * define its own {@code EventyService} bean instead, for example when it also defines its
 * own {@code RecordFactory} with another source, so that both agree.
 *
 * @param name the service name, non-blank without surrounding spaces and without
 * {@code .} (the source {@code urn:<name>} becomes the destination of responses, where
 * Python eventy refuses a {@code .})
 * @param namespace the default namespace of record types, a URN such as {@code urn:shop}
 */
public record EventyService(String name, String namespace) {

	static final String APPLICATION_NAME_PROPERTY = "spring.application.name";

	/**
	 * Create a service identity.
	 * @param name the service name, non-blank without surrounding spaces
	 * @param namespace the default namespace of record types, a URN such as
	 * {@code urn:shop}
	 * @throws IllegalArgumentException if the name or the namespace is not valid
	 */
	public EventyService {
		if (name == null || name.isBlank() || !name.strip().equals(name) || name.indexOf('.') >= 0) {
			throw new IllegalArgumentException(
					"The service name must be non-blank without surrounding spaces and without '.', was '" + name
							+ "'");
		}
		if (namespace == null || !namespace.startsWith("urn:") || namespace.length() <= 4) {
			throw new IllegalArgumentException(
					"The namespace must be a URN starting with 'urn:', such as 'urn:shop', was '" + namespace + "'");
		}
	}

	/**
	 * Return a service named {@code name} whose namespace is {@code urn:<name>}.
	 * @param name the service name
	 * @return the service
	 */
	public static EventyService named(String name) {
		return new EventyService(name, "urn:" + name);
	}

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
	public static EventyService resolve(EventyProperties properties, Environment environment) {
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
		if (name.indexOf('.') >= 0) {
			throw new EventyConfigurationException("Eventy's service name '" + name
					+ "' (from 'eventy.service.name' or 'spring.application.name') contains a '.': the source "
					+ "'urn:" + name + "' of this service's records becomes the destination of the responses to its "
					+ "requests, and Python eventy refuses a destination with a '.'.",
					"Set 'eventy.service.name' to a name without '.', such as '" + name.replace('.', '-') + "'.");
		}
		String namespace = properties.getService().getNamespace();
		return new EventyService(name, (namespace != null) ? namespace : "urn:" + name);
	}

	/**
	 * Return the URN written as the source of this service's records.
	 * @return {@code urn:<name>}
	 */
	public String source() {
		return "urn:" + this.name;
	}

}
