package io.eventy.store.kafka;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import io.eventy.record.RecordKind;

/**
 * The topics records go to, by kind. The default follows the Qotto eventy layout:
 * {@code <service>-events}, {@code <service>-requests} and {@code <service>-responses}.
 * Each topic has a dead-letter topic, {@code <topic>.DLT}. Names are checked here, once.
 *
 * @param events the topic of events
 * @param requests the topic of requests
 * @param responses the topic of responses
 */
public record KafkaTopics(String events, String requests, String responses) {

	/** The suffix of a dead-letter topic. */
	public static final String DEAD_LETTER_SUFFIX = ".DLT";

	private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]+");

	/** Kafka's longest topic name. */
	private static final int MAX_TOPIC_LENGTH = 249;

	/** Kafka's longest topic name, less room for the dead-letter suffix. */
	private static final int MAX_LENGTH = MAX_TOPIC_LENGTH - DEAD_LETTER_SUFFIX.length();

	public KafkaTopics {
		check("events", events);
		check("requests", requests);
		check("responses", responses);
	}

	/**
	 * Return the Qotto layout for a service.
	 * @param serviceName the service name
	 * @return {@code <service>-events}, {@code <service>-requests},
	 * {@code <service>-responses}
	 * @throws IllegalArgumentException if the service name does not make legal topic
	 * names
	 */
	public static KafkaTopics forService(String serviceName) {
		Objects.requireNonNull(serviceName, "serviceName");
		if (!LEGAL.matcher(serviceName).matches()) {
			throw new IllegalArgumentException("Service name '" + serviceName
					+ "' does not make Kafka topic names (letters, digits, '.', '_' and '-'); "
					+ "set eventy.kafka.events-topic, requests-topic and responses-topic");
		}
		return new KafkaTopics(serviceName + "-events", serviceName + "-requests", serviceName + "-responses");
	}

	/**
	 * Return the topic of a kind of record.
	 * @param kind the kind
	 * @return its topic
	 */
	public String topicFor(RecordKind kind) {
		return switch (kind) {
			case EVENT -> this.events;
			case REQUEST -> this.requests;
			case RESPONSE -> this.responses;
		};
	}

	/**
	 * Return the distinct topics, events first.
	 * @return the topics
	 */
	public List<String> all() {
		Set<String> topics = new LinkedHashSet<>(List.of(this.events, this.requests, this.responses));
		return List.copyOf(topics);
	}

	/**
	 * Return the dead-letter topic of a topic.
	 * @param topic the topic
	 * @return {@code <topic>.DLT}
	 */
	public static String deadLetterTopic(String topic) {
		return topic + DEAD_LETTER_SUFFIX;
	}

	/**
	 * Check the name of a topic this service reads but does not write, such as another
	 * service's events topic.
	 * @param topic the name
	 * @param what what names the topic in a message, such as a property name
	 * @return the name
	 * @throws IllegalArgumentException if it is no legal Kafka topic name
	 */
	public static String checkTopicName(String topic, String what) {
		if (topic == null || topic.isEmpty() || topic.length() > MAX_TOPIC_LENGTH || !LEGAL.matcher(topic).matches()
				|| topic.equals(".") || topic.equals("..")) {
			throw new IllegalArgumentException(what + " must be a Kafka topic name of 1 to " + MAX_TOPIC_LENGTH
					+ " characters of [A-Za-z0-9._-], was '" + topic + "'");
		}
		return topic;
	}

	private static void check(String kind, String topic) {
		if (topic == null || topic.isEmpty() || topic.length() > MAX_LENGTH || !LEGAL.matcher(topic).matches()
				|| topic.equals(".") || topic.equals("..")) {
			throw new IllegalArgumentException("The " + kind + " topic must be a Kafka topic name of 1 to " + MAX_LENGTH
					+ " characters of [A-Za-z0-9._-], was '" + topic + "'");
		}
	}

}
