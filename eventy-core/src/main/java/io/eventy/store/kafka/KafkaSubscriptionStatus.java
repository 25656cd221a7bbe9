package io.eventy.store.kafka;

import java.util.List;
import java.util.Objects;

import io.eventy.handler.Guarantee;

/**
 * How one subscription run by {@link KafkaSubscriptions} is doing in this instance of the
 * application.
 *
 * @param subscription the subscription name
 * @param groupId its consumer group
 * @param guarantee its delivery guarantee
 * @param topics the topics it reads
 * @param running whether its listener container runs (its consumer thread polls)
 * @param assignedPartitions how many partitions this instance's consumer reads; other
 * instances of the group read the others
 */
public record KafkaSubscriptionStatus(String subscription, String groupId, Guarantee guarantee, List<String> topics,
		boolean running, int assignedPartitions) {

	public KafkaSubscriptionStatus {
		Objects.requireNonNull(subscription, "subscription");
		Objects.requireNonNull(groupId, "groupId");
		Objects.requireNonNull(guarantee, "guarantee");
		topics = List.copyOf(topics);
	}

}
