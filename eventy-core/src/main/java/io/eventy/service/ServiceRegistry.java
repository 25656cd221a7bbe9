package io.eventy.service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.eventy.record.EventyRecord;
import io.eventy.record.RecordKind;

/**
 * This service and the other services it talks to, and the routing rules of the Eventy
 * protocol (those of Python eventy 3.x) that follow from them:
 * <ul>
 * <li>a record type's namespace names the service that owns it
 * ({@link #ownerOf(String)});</li>
 * <li>a REQUEST goes to the service that owns its namespace
 * ({@link #targetOf(EventyRecord)});</li>
 * <li>a RESPONSE reaches only the service its {@code destination} names: this one when it
 * is this service's source ({@code urn:<service name>}, what Eventy writes as a request's
 * source) or its namespace (what Python eventy compares it with)
 * ({@link #isAddressedToThisService(String)});</li>
 * <li>a REQUEST reaches only the service that owns its namespace: this one, unless
 * another declared service owns it ({@link #routesHere(EventyRecord)}); events reach
 * every service.</li>
 * </ul>
 */
public final class ServiceRegistry {

	/** The property prefix that declares other services, for messages. */
	public static final String SERVICES_PROPERTY = "eventy.services";

	private final ServiceDefinition self;

	private final String source;

	private final List<ServiceDefinition> others;

	private final Map<String, ServiceDefinition> byNamespace = new HashMap<>();

	/**
	 * Create a registry.
	 * @param self this service
	 * @param source the source of this service's records, {@code urn:<service name>}
	 * @param others the other services it talks to
	 * @throws IllegalArgumentException if two services share a name or a namespace
	 */
	public ServiceRegistry(ServiceDefinition self, String source, List<ServiceDefinition> others) {
		this.self = Objects.requireNonNull(self, "self");
		this.source = Objects.requireNonNull(source, "source");
		this.others = List.copyOf(others);
		this.byNamespace.put(self.namespace(), self);
		Map<String, ServiceDefinition> byName = new HashMap<>();
		byName.put(self.name(), self);
		for (ServiceDefinition other : this.others) {
			ServiceDefinition sameName = byName.putIfAbsent(other.name(), other);
			if (sameName != null) {
				throw new IllegalArgumentException("Two services are named '" + other.name() + "'; " + SERVICES_PROPERTY
						+ ".<name> declares another service than this one ('" + self.name() + "')");
			}
			ServiceDefinition sameNamespace = this.byNamespace.putIfAbsent(other.namespace(), other);
			if (sameNamespace != null) {
				throw new IllegalArgumentException("Services '" + sameNamespace.name() + "' and '" + other.name()
						+ "' both own namespace '" + other.namespace() + "'; set " + SERVICES_PROPERTY + "."
						+ other.name() + ".namespace to the namespace of its own record types");
			}
		}
	}

	/**
	 * Return a registry of this service alone.
	 * @param name the service name
	 * @param source the source of its records
	 * @param namespace its namespace
	 * @return the registry
	 */
	public static ServiceRegistry standalone(String name, String source, String namespace) {
		return new ServiceRegistry(new ServiceDefinition(name, namespace), source, List.of());
	}

	/**
	 * Return this service.
	 * @return this service
	 */
	public ServiceDefinition self() {
		return this.self;
	}

	/**
	 * Return the source of this service's records.
	 * @return {@code urn:<service name>}
	 */
	public String source() {
		return this.source;
	}

	/**
	 * Return the other services this one talks to.
	 * @return the other services, in declaration order
	 */
	public List<ServiceDefinition> others() {
		return this.others;
	}

	/**
	 * Return the service that owns a namespace.
	 * @param namespace a record type's namespace
	 * @return this service or another declared one, or empty when none owns it
	 */
	public Optional<ServiceDefinition> ownerOf(String namespace) {
		return Optional.ofNullable(this.byNamespace.get(namespace));
	}

	/**
	 * Return whether this service owns a namespace.
	 * @param namespace a record type's namespace
	 * @return {@code true} for this service's namespace
	 */
	public boolean isOwnedHere(String namespace) {
		return this.self.namespace().equals(namespace);
	}

	/**
	 * Return the service a REQUEST goes to: the one that owns its namespace.
	 * @param request the request
	 * @return the target service, possibly this one
	 * @throws UnknownServiceException naming the property to set when no service owns the
	 * namespace
	 */
	public ServiceDefinition targetOf(EventyRecord request) {
		ServiceDefinition owner = this.byNamespace.get(request.namespace());
		if (owner == null) {
			throw new UnknownServiceException(
					"No service owns namespace '" + request.namespace() + "' of request " + request.qualifiedName()
							+ ", so there is nowhere to send it. Declare the service that handles it: "
							+ SERVICES_PROPERTY + ".<service name>.namespace=" + request.namespace()
							+ " (its name names its topics, such as <service name>-requests)");
		}
		return owner;
	}

	/**
	 * Return whether a response's destination names this service.
	 * @param destination the response's {@code destination}
	 * @return {@code true} when it is this service's source or namespace
	 */
	public boolean isAddressedToThisService(String destination) {
		return this.source.equals(destination) || this.self.namespace().equals(destination);
	}

	/**
	 * Return whether a record reaches this service's handlers: every event; a request
	 * unless another declared service owns its namespace; a response only when it is
	 * addressed to this service.
	 * @param record the record
	 * @return whether this service handles it
	 */
	public boolean routesHere(EventyRecord record) {
		if (record.kind() == RecordKind.RESPONSE) {
			String destination = record.destination();
			return destination != null && isAddressedToThisService(destination);
		}
		if (record.kind() == RecordKind.REQUEST) {
			ServiceDefinition owner = this.byNamespace.get(record.namespace());
			return owner == null || owner == this.self;
		}
		return true;
	}

	@Override
	public String toString() {
		return "ServiceRegistry[self=" + this.self + ", source=" + this.source + ", others=" + this.others + "]";
	}

}
