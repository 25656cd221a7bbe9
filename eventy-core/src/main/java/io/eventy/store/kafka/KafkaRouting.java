package io.eventy.store.kafka;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.eventy.handler.HandlerEndpoint;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordKind;
import io.eventy.record.RecordTypeDescriptor;
import io.eventy.service.ServiceDefinition;
import io.eventy.service.ServiceRegistry;
import io.eventy.service.UnknownServiceException;

/**
 * Which topic a record goes to and which topics a handler reads, as Python eventy 3.x
 * routes them:
 * <ul>
 * <li>events and responses go to this service's own topics; a request goes to the
 * requests topic of the service that owns its namespace ({@code payment-requests} for a
 * request of {@code urn:payment} when
 * {@code eventy.services.payment.namespace=urn:payment}), this service's own for its own
 * namespace;</li>
 * <li>a handler of a record type that another declared service owns reads that service's
 * topic of the type's kind: {@code payment-events} for its events,
 * {@code payment-responses} for the responses to this service's requests.</li>
 * </ul>
 * A service's topics are {@code <name>-events}, {@code <name>-requests} and
 * {@code <name>-responses} unless configured otherwise.
 */
public final class KafkaRouting {

	private final ServiceRegistry services;

	private final KafkaTopics ownTopics;

	private final Map<String, KafkaTopics> otherTopics;

	/**
	 * Create the routing.
	 * @param services this service and the others it talks to
	 * @param ownTopics this service's topics
	 * @param otherTopics the topics of other services whose topics are not named after
	 * them, by service name
	 * @throws IllegalArgumentException if topics are given for a service that is not
	 * declared
	 */
	public KafkaRouting(ServiceRegistry services, KafkaTopics ownTopics, Map<String, KafkaTopics> otherTopics) {
		this.services = Objects.requireNonNull(services, "services");
		this.ownTopics = Objects.requireNonNull(ownTopics, "ownTopics");
		this.otherTopics = Map.copyOf(otherTopics);
		for (String name : this.otherTopics.keySet()) {
			if (services.others().stream().noneMatch((service) -> service.name().equals(name))) {
				throw new IllegalArgumentException(
						"Topics are configured for service '" + name + "', which is not declared; set "
								+ ServiceRegistry.SERVICES_PROPERTY + "." + name + ".namespace");
			}
		}
	}

	/**
	 * Return the services.
	 * @return the services
	 */
	public ServiceRegistry services() {
		return this.services;
	}

	/**
	 * Return the topics of a service.
	 * @param service this service or a declared one
	 * @return its topics
	 */
	public KafkaTopics topicsOf(ServiceDefinition service) {
		if (service.equals(this.services.self())) {
			return this.ownTopics;
		}
		KafkaTopics configured = this.otherTopics.get(service.name());
		return (configured != null) ? configured : KafkaTopics.forService(service.name());
	}

	/**
	 * Return the topic a record is written to.
	 * @param record the record
	 * @return this service's topic of its kind, or for a request the requests topic of
	 * the service that owns its namespace
	 * @throws UnknownServiceException for a request whose namespace no service owns,
	 * naming the property that declares one
	 */
	public String topicFor(EventyRecord record) {
		if (record.kind() != RecordKind.REQUEST) {
			return this.ownTopics.topicFor(record.kind());
		}
		return topicsOf(this.services.targetOf(record)).requests();
	}

	/**
	 * Return the topics of other services a handler reads because of its record type: the
	 * topic of the type's kind of each declared service that owns the namespace of the
	 * type or of one of its former names (renamed by upcasters).
	 * @param endpoint the handler
	 * @return those topics, or none for a handler selected by a name pattern or of a type
	 * this service or no declared service owns
	 */
	public List<String> topicsToRead(HandlerEndpoint endpoint) {
		RecordTypeDescriptor type = endpoint.recordType();
		if (type == null) {
			return List.of();
		}
		Set<String> topics = new LinkedHashSet<>();
		for (String name : endpoint.recordNames()) {
			this.services.ownerOf(RecordTypeDescriptor.namespaceOf(name))
				.filter((owner) -> !owner.equals(this.services.self()))
				.ifPresent((owner) -> topics.add(topicsOf(owner).topicFor(type.kind())));
		}
		return List.copyOf(topics);
	}

}
