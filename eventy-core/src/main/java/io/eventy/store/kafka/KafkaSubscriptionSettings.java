package io.eventy.store.kafka;

import java.util.List;
import java.util.Objects;

import io.eventy.handler.SubscriptionOptions;

/**
 * Where {@link KafkaSubscriptions} read and how.
 *
 * @param groupPrefix the prefix of consumer group ids, the service name: subscription
 * {@code billing} of service {@code shop} is consumer group {@code shop.billing}
 * @param topics the topics every subscription reads, such as the service's own
 * {@link KafkaTopics#all()} plus topics of other services
 * @param options batch size (most records a poll returns), poll interval (how long a poll
 * waits, and how often an idle subscription checks whether it caught up), start position
 * of new subscriptions (consumer groups without committed offsets) and retry policy
 */
public record KafkaSubscriptionSettings(String groupPrefix, List<String> topics, SubscriptionOptions options) {

	public KafkaSubscriptionSettings {
		if (groupPrefix == null || groupPrefix.isBlank()) {
			throw new IllegalArgumentException("The consumer group prefix must not be blank");
		}
		topics = List.copyOf(topics);
		if (topics.isEmpty()) {
			throw new IllegalArgumentException("Subscriptions need at least one topic to read");
		}
		Objects.requireNonNull(options, "options");
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
	 * Return the dead-letter topics of the topics read.
	 * @return {@code <topic>.DLT} for each topic
	 */
	public List<String> deadLetterTopics() {
		return this.topics.stream().map(KafkaTopics::deadLetterTopic).toList();
	}

}
