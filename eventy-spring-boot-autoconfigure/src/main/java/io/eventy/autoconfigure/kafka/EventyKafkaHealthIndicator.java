package io.eventy.autoconfigure.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.eventy.store.kafka.KafkaSubscriptionStatus;
import io.eventy.store.kafka.KafkaSubscriptions;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.StringUtils;

/**
 * Reports whether the Kafka broker of the Eventy store answers, and how each
 * {@code @EventHandler} subscription is doing in this instance: whether it runs, its
 * consumer group, whether it is paused, the partitions it reads here, and its lag
 * (records of its topics not yet handled by its consumer group, summed over the
 * partitions the group committed offsets on) when the broker tells it within the timeout.
 * <p>
 * DOWN when the broker does not answer within {@code eventy.kafka.health-timeout}, and
 * when a subscription's consumer stopped while the application runs; lag is a detail,
 * never DOWN. A check never waits longer than the timeout: the broker calls share it.
 */
public final class EventyKafkaHealthIndicator extends AbstractHealthIndicator implements DisposableBean {

	private final Map<String, Object> adminProperties;

	private final Duration timeout;

	private final @Nullable KafkaSubscriptions subscriptions;

	private @Nullable Admin admin;

	/**
	 * Create a health indicator.
	 * @param adminProperties Kafka admin client properties, with bootstrap servers
	 * @param timeout the longest a check waits for the broker
	 * @param subscriptions the subscriptions, or {@code null} when handlers are off
	 */
	public EventyKafkaHealthIndicator(Map<String, ?> adminProperties, Duration timeout,
			@Nullable KafkaSubscriptions subscriptions) {
		super("Eventy's Kafka broker could not be checked");
		this.adminProperties = new HashMap<>(adminProperties);
		this.timeout = Objects.requireNonNull(timeout, "timeout");
		this.subscriptions = subscriptions;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		Object servers = this.adminProperties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
		builder.withDetail("bootstrapServers", (servers instanceof Collection<?> list)
				? StringUtils.collectionToCommaDelimitedString(list) : String.valueOf(servers));
		Admin admin = admin();
		String clusterId;
		Collection<Node> nodes;
		try {
			DescribeClusterResult cluster = admin
				.describeCluster(new DescribeClusterOptions().timeoutMs(remainingMillis(deadline)));
			clusterId = get(cluster.clusterId(), deadline);
			nodes = get(cluster.nodes(), deadline);
		}
		catch (TimeoutException | ExecutionException ex) {
			Throwable cause = (ex instanceof ExecutionException && ex.getCause() != null) ? ex.getCause() : ex;
			builder.down()
				.withDetail("error", "The Kafka broker did not answer within " + this.timeout + ": "
						+ cause.getClass().getName() + ((cause.getMessage() != null) ? ": " + cause.getMessage() : ""));
			return;
		}
		builder.withDetail("clusterId", String.valueOf(clusterId)).withDetail("nodes", nodes.size());
		KafkaSubscriptions subscriptions = this.subscriptions;
		if (subscriptions == null) {
			builder.up();
			return;
		}
		List<KafkaSubscriptionStatus> status = subscriptions.status();
		Map<String, Long> lags = lags(admin, status, deadline);
		Map<String, Object> details = new LinkedHashMap<>();
		boolean stopped = false;
		for (KafkaSubscriptionStatus subscription : status) {
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("running", subscription.running());
			detail.put("paused", subscriptions.isPaused(subscription.subscription()));
			detail.put("groupId", subscription.groupId());
			detail.put("guarantee", subscription.guarantee().name());
			detail.put("topics", subscription.topics());
			detail.put("assignedPartitions", subscription.assignedPartitions());
			Long lag = lags.get(subscription.groupId());
			if (lag != null) {
				detail.put("lag", lag);
			}
			details.put(subscription.subscription(), detail);
			stopped |= !subscription.running();
		}
		builder.withDetail("subscriptions", details);
		if (stopped && subscriptions.isRunning()) {
			builder.down().withDetail("error", "A subscription's consumer stopped; its records are not handled");
		}
		else {
			builder.up();
		}
	}

	/**
	 * Close the admin client.
	 */
	@Override
	public synchronized void destroy() {
		Admin admin = this.admin;
		this.admin = null;
		if (admin != null) {
			admin.close(Duration.ZERO);
		}
	}

	private synchronized Admin admin() {
		Admin admin = this.admin;
		if (admin == null) {
			admin = Admin.create(this.adminProperties);
			this.admin = admin;
		}
		return admin;
	}

	// committed offsets of every group in one call, end offsets of their partitions in
	// another; whatever does not answer in time is left out
	private Map<String, Long> lags(Admin admin, List<KafkaSubscriptionStatus> status, long deadline) {
		if (status.isEmpty()) {
			return Map.of();
		}
		try {
			Map<String, ListConsumerGroupOffsetsSpec> groups = new HashMap<>();
			status.forEach((subscription) -> groups.put(subscription.groupId(), new ListConsumerGroupOffsetsSpec()));
			Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = get(admin
				.listConsumerGroupOffsets(groups,
						new ListConsumerGroupOffsetsOptions().timeoutMs(remainingMillis(deadline)))
				.all(), deadline);
			Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
			committed.values()
				.forEach((offsets) -> offsets.keySet()
					.forEach((partition) -> partitions.put(partition, OffsetSpec.latest())));
			if (partitions.isEmpty()) {
				return Map.of();
			}
			Map<TopicPartition, ListOffsetsResultInfo> ends = get(
					admin
						.listOffsets(partitions,
								new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)
									.timeoutMs(remainingMillis(deadline)))
						.all(),
					deadline);
			Map<String, Long> lags = new HashMap<>();
			committed.forEach((group, offsets) -> {
				long lag = 0;
				for (Map.Entry<TopicPartition, OffsetAndMetadata> offset : offsets.entrySet()) {
					ListOffsetsResultInfo end = ends.get(offset.getKey());
					if (end != null && offset.getValue() != null) {
						lag += Math.max(0, end.offset() - offset.getValue().offset());
					}
				}
				lags.put(group, lag);
			});
			return lags;
		}
		catch (TimeoutException | ExecutionException ex) {
			return Map.of();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Map.of();
		}
	}

	private static <T> T get(KafkaFuture<T> future, long deadline)
			throws InterruptedException, ExecutionException, TimeoutException {
		return future.get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
	}

	private static int remainingMillis(long deadline) {
		return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
	}

}
