package io.eventy.service;

/**
 * A service of an Eventy system, as Python eventy's {@code Service(name, namespace)}: its
 * name (which names its Kafka topics, {@code <name>-events}, {@code <name>-requests} and
 * {@code <name>-responses}) and the namespace of the record types it owns.
 *
 * @param name the service name, non-blank without surrounding spaces
 * @param namespace the namespace it owns, a URN such as {@code urn:payment}
 */
public record ServiceDefinition(String name, String namespace) {

	public ServiceDefinition {
		if (name == null || name.isBlank() || !name.strip().equals(name)) {
			throw new IllegalArgumentException(
					"A service name must be non-blank without surrounding spaces, was '" + name + "'");
		}
		if (namespace == null || namespace.length() <= 4 || !namespace.startsWith("urn:")
				|| !namespace.strip().equals(namespace)) {
			throw new IllegalArgumentException("The namespace of service '" + name
					+ "' must be a URN starting with 'urn:', such as 'urn:payment', was '" + namespace + "'");
		}
	}

}
