package io.eventy.store.kafka;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.eventy.handler.HandlerEndpoint;
import io.eventy.handler.SubscriptionOptions;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link KafkaSubscriptions} read and how.
 * <p>
 * Every subscription reads the service's own {@code topics}, the {@code subscribeTopics}
 * (topics other services write, such as {@code shop-events}) and the topics its handler
 * names ({@link HandlerEndpoint#topics()}). The service owns its topics and their
 * dead-letter topics; it only reads the others. So a record a subscription gives up on
 * goes to {@code <topic>.DLT} when it came from an own topic, and to the dead-letter
 * topic of the first own topic (the events topic) when it came from another service's
 * topic; a re-drive puts it back on its topic, or on the first own topic when that topic
 * is another service's. Eventy never writes to another service's topics.
 *
 * @param groupPrefix the prefix of consumer group ids, the service name: subscription
 * {@code billing} of service {@code shop} is consumer group {@code shop.billing}
 * @param topics the service's own topics, the events topic first, such as
 * {@link KafkaTopics#all()}
 * @param subscribeTopics topics of other services every subscription reads too, possibly
 * none
 * @param options batch size (most records a poll returns), poll interval (how long a poll
 * waits, and how often an idle subscription checks whether it caught up), start position
 * of new subscriptions (consumer groups without committed offsets) and retry policy
 * @param routing the routing that names the topics of other services a handler reads for
 * its record type ({@link KafkaRouting#topicsToRead(HandlerEndpoint)}), or {@code null}
 * for none
 */
public record KafkaSubscriptionSettings(String groupPrefix, List<String> topics, List<String> subscribeTopics,
		SubscriptionOptions options, @Nullable KafkaRouting routing) {

	public KafkaSubscriptionSettings {
		if (groupPrefix == null || groupPrefix.isBlank()) {
			throw new IllegalArgumentException("The consumer group prefix must not be blank");
		}
		topics = List.copyOf(topics);
		if (topics.isEmpty()) {
			throw new IllegalArgumentException("Subscriptions need at least one topic to read");
		}
		subscribeTopics = List.copyOf(subscribeTopics);
		subscribeTopics.forEach((topic) -> KafkaTopics.checkTopicName(topic, "A topic to subscribe to"));
		Objects.requireNonNull(options, "options");
	}

	/**
	 * Settings without routing.
	 * @param groupPrefix the prefix of consumer group ids, the service name
	 * @param topics the service's topics, the events topic first
	 * @param subscribeTopics topics of other services every subscription reads too
	 * @param options how subscriptions read, retry and start
	 */
	public KafkaSubscriptionSettings(String groupPrefix, List<String> topics, List<String> subscribeTopics,
			SubscriptionOptions options) {
		this(groupPrefix, topics, subscribeTopics, options, null);
	}

	/**
	 * Settings that read the service's own topics only.
	 * @param groupPrefix the prefix of consumer group ids, the service name
	 * @param topics the service's topics, the events topic first
	 * @param options how subscriptions read, retry and start
	 */
	public KafkaSubscriptionSettings(String groupPrefix, List<String> topics, SubscriptionOptions options) {
		this(groupPrefix, topics, List.of(), options);
	}

	/**
	 * Settings for a service's own topics.
	 * @param serviceName the service name, the consumer group prefix
	 * @param topics the service's topics
	 * @param options how subscriptions read, retry and start
	 * @return the settings
	 */
	public static KafkaSubscriptionSettings of(String serviceName, KafkaTopics topics, SubscriptionOptions options) {
		return new KafkaSubscriptionSettings(serviceName, topics.all(), options);
	}

	/**
	 * Return a copy whose subscriptions also read topics of other services.
	 * @param subscribeTopics the other services' topics
	 * @return new settings
	 */
	public KafkaSubscriptionSettings withSubscribeTopics(List<String> subscribeTopics) {
		return new KafkaSubscriptionSettings(this.groupPrefix, this.topics, subscribeTopics, this.options,
				this.routing);
	}

	/**
	 * Return a copy whose subscriptions also read the topics of other services their
	 * record types come from.
	 * @param routing the routing
	 * @return new settings
	 */
	public KafkaSubscriptionSettings withRouting(KafkaRouting routing) {
		return new KafkaSubscriptionSettings(this.groupPrefix, this.topics, this.subscribeTopics, this.options,
				routing);
	}

	/**
	 * Return the consumer group of a subscription.
	 * @param subscription the subscription name
	 * @return {@code <groupPrefix>.<subscription>}
	 */
	public String groupId(String subscription) {
		return this.groupPrefix + "." + subscription;
	}

	/**
	 * Return the consumer group that keeps how far a subscription's dead letters were
	 * re-driven.
	 * @param subscription the subscription name
	 * @return {@code <groupPrefix>.<subscription>.dead-letters}
	 */
	public String deadLetterGroupId(String subscription) {
		return groupId(subscription) + ".dead-letters";
	}

	/**
	 * Return the control topic of the service's subscriptions, through which every
	 * instance learns that a subscription is paused, resumed or reset
	 * ({@link KafkaSubscriptionControl}).
	 * @return {@code <groupPrefix>-control}
	 */
	public String controlTopic() {
		return KafkaTopics.checkTopicName(this.groupPrefix + "-control", "The control topic");
	}

	/**
	 * Return the topics a subscription reads: the own topics, the subscribe topics, the
	 * handler's, then the other service's topic its record type comes from, each once.
	 * @param endpoint the subscription's handler
	 * @return the topics
	 */
	public List<String> topicsOf(HandlerEndpoint endpoint) {
		Set<String> all = new LinkedHashSet<>(this.topics);
		all.addAll(this.subscribeTopics);
		all.addAll(endpoint.topics());
		if (this.routing != null) {
			all.addAll(this.routing.topicsToRead(endpoint));
		}
		return List.copyOf(all);
	}

	/**
	 * Return whether the service owns a topic (writes it and its dead-letter topic).
	 * @param topic the topic
	 * @return {@code true} for one of {@link #topics()}
	 */
	public boolean owns(String topic) {
		return this.topics.contains(topic);
	}

	/**
	 * Return where a record a subscription gave up on goes.
	 * @param topic the topic the record came from
	 * @return {@code <topic>.DLT} for an own topic, else the dead-letter topic of the
	 * first own topic
	 */
	public String deadLetterTopicFor(String topic) {
		return KafkaTopics.deadLetterTopic(owns(topic) ? topic : this.topics.get(0));
	}

	/**
	 * Return where a re-driven dead letter goes.
	 * @param originalTopic the topic the record came from
	 * @return that topic if the service owns it, else the first own topic
	 */
	public String redriveTopicFor(String originalTopic) {
		return owns(originalTopic) ? originalTopic : this.topics.get(0);
	}

	/**
	 * Return the dead-letter topics of the service's own topics, where every dead letter
	 * of its subscriptions is.
	 * @return {@code <topic>.DLT} for each own topic
	 */
	public List<String> deadLetterTopics() {
		return this.topics.stream().map(KafkaTopics::deadLetterTopic).toList();
	}

}
