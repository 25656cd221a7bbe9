package io.eventy.store.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics of a {@link KafkaTopics} layout and their dead-letter topics when
 * they are missing. Existing topics are left exactly as they are: adding partitions to a
 * topic would move keys to other partitions and break the order of their records. The one
 * exception is the {@link #setDeadLetterRetention(Duration) retention of dead letters}:
 * when it is set, the dead-letter topics get it as their {@code retention.ms}, when they
 * are created and, when they exist with another one, at each {@link #initialize()}.
 */
public final class KafkaTopicInitializer {

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(KafkaTopicInitializer.class);

	private final Map<String, Object> adminProperties;

	private final KafkaTopics topics;

	private final int partitions;

	private final @Nullable Short replicationFactor;

	private final Duration timeout;

	private @Nullable Duration deadLetterRetention;

	/**
	 * Create an initializer.
	 * @param adminProperties Kafka admin client properties, with bootstrap servers
	 * @param topics the topics
	 * @param partitions the partitions of each topic created
	 * @param replicationFactor the replication factor of each topic created, or
	 * {@code null} for the broker's default
	 * @param timeout how long to wait for the broker
	 */
	public KafkaTopicInitializer(Map<String, ?> adminProperties, KafkaTopics topics, int partitions,
			@Nullable Short replicationFactor, Duration timeout) {
		this.adminProperties = new HashMap<>(adminProperties);
		this.topics = Objects.requireNonNull(topics, "topics");
		if (partitions < 1) {
			throw new IllegalArgumentException("Topics need at least one partition, was " + partitions);
		}
		if (replicationFactor != null && replicationFactor < 1) {
			throw new IllegalArgumentException("The replication factor must be at least 1, was " + replicationFactor);
		}
		this.partitions = partitions;
		this.replicationFactor = replicationFactor;
		this.timeout = Objects.requireNonNull(timeout, "timeout");
	}

	/**
	 * Set how long dead letters are kept: the {@code retention.ms} of the dead-letter
	 * topics. Kafka deletes whole log segments once their newest record is older than
	 * that, so a dead letter may outlive it by up to a segment's age. A broker that
	 * refuses to change an existing topic (such as for missing ACLs) gives a warning,
	 * never a failure.
	 * @param deadLetterRetention the retention, or {@code null} (the default) to leave
	 * the dead-letter topics with the broker's retention
	 */
	public void setDeadLetterRetention(@Nullable Duration deadLetterRetention) {
		if (deadLetterRetention != null && (deadLetterRetention.isNegative() || deadLetterRetention.isZero())) {
			throw new IllegalArgumentException(
					"The retention of dead letters must be positive, was " + deadLetterRetention);
		}
		this.deadLetterRetention = deadLetterRetention;
	}

	/**
	 * Create the missing topics, and set the {@link #setDeadLetterRetention(Duration)
	 * retention of dead letters} on the existing dead-letter topics when it is set.
	 * @return the topics created
	 * @throws KafkaTopicsUnavailableException if the broker cannot be reached in time or
	 * refuses
	 */
	public List<String> initialize() {
		List<String> wanted = new ArrayList<>();
		for (String topic : this.topics.all()) {
			wanted.add(topic);
			wanted.add(KafkaTopics.deadLetterTopic(topic));
		}
		Admin admin = Admin.create(this.adminProperties);
		boolean failed = true;
		try {
			List<String> created = createMissing(admin, wanted);
			failed = false;
			return created;
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new KafkaTopicsUnavailableException("Could not create Kafka topics " + wanted + " on "
					+ this.adminProperties.get("bootstrap.servers") + ": " + cause.getMessage()
					+ ". Check the bootstrap servers, or create the topics yourself and set "
					+ "eventy.kafka.create-topics=false", cause);
		}
		catch (TimeoutException ex) {
			throw new KafkaTopicsUnavailableException("Kafka at " + this.adminProperties.get("bootstrap.servers")
					+ " did not answer within " + this.timeout + " while Eventy checked its topics " + wanted
					+ ". Check that a broker runs there and the bootstrap servers, or create the topics yourself "
					+ "and set eventy.kafka.create-topics=false", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while creating Kafka topics " + wanted, ex);
		}
		finally {
			// after a failure nothing pending is worth waiting for: the admin client
			// would retry its calls until its own timeouts
			admin.close(failed ? Duration.ZERO : CLOSE_TIMEOUT);
		}
	}

	/**
	 * Create a compacted topic of one partition when it is missing, such as the control
	 * topic of the subscriptions ({@link KafkaSubscriptionSettings#controlTopic()}), with
	 * this initializer's replication factor.
	 * @param topic the topic
	 * @return whether it was created
	 * @throws KafkaTopicsUnavailableException if the broker cannot be reached in time or
	 * refuses
	 */
	public boolean initializeCompacted(String topic) {
		KafkaTopics.checkTopicName(topic, "A compacted topic");
		try (Admin admin = Admin.create(this.adminProperties)) {
			Set<String> existing = admin.listTopics().names().get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (existing.contains(topic)) {
				return false;
			}
			NewTopic compacted = new NewTopic(topic, Optional.of(1), Optional.ofNullable(this.replicationFactor))
				.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
			try {
				admin.createTopics(List.of(compacted)).all().get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof TopicExistsException) {
					return false;
				}
				throw ex;
			}
			logger.info("Created compacted Kafka topic {}", topic);
			awaitMetadata(admin, topic);
			return true;
		}
		catch (ExecutionException | TimeoutException ex) {
			Throwable cause = (ex instanceof ExecutionException && ex.getCause() != null) ? ex.getCause() : ex;
			throw new KafkaTopicsUnavailableException("Could not create Kafka topic " + topic + " on "
					+ this.adminProperties.get("bootstrap.servers") + ": " + cause
					+ ". Check the bootstrap servers, or create the topic yourself (compacted, one partition) and set "
					+ "eventy.kafka.create-topics=false", cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while creating Kafka topic " + topic, ex);
		}
	}

	/**
	 * Wait until the brokers know a new topic, so that the clients started next find it.
	 */
	private void awaitMetadata(Admin admin, String topic) throws InterruptedException {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				admin.describeTopics(List.of(topic))
					.allTopicNames()
					.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
				return;
			}
			catch (ExecutionException | TimeoutException ex) {
				Thread.sleep(50);
			}
		}
	}

	private List<String> createMissing(Admin admin, List<String> wanted)
			throws InterruptedException, ExecutionException, TimeoutException {
		Set<String> existing = admin.listTopics().names().get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		List<NewTopic> missing = wanted.stream()
			.filter((topic) -> !existing.contains(topic))
			.map(this::newTopic)
			.toList();
		warnAboutPartitions(admin, wanted.stream().filter(existing::contains).toList());
		retainDeadLetters(admin,
				wanted.stream()
					.filter((topic) -> existing.contains(topic) && topic.endsWith(KafkaTopics.DEAD_LETTER_SUFFIX))
					.toList());
		List<String> created = new ArrayList<>();
		if (!missing.isEmpty()) {
			Map<String, KafkaFuture<Void>> results = admin.createTopics(missing).values();
			for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
				try {
					result.getValue().get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
					created.add(result.getKey());
				}
				catch (ExecutionException ex) {
					if (!(ex.getCause() instanceof TopicExistsException)) {
						throw ex;
					}
				}
			}
			logger.info("Created Kafka topics {}", created);
		}
		return created;
	}

	private NewTopic newTopic(String topic) {
		NewTopic newTopic = new NewTopic(topic, Optional.of(this.partitions),
				Optional.ofNullable(this.replicationFactor));
		Duration retention = this.deadLetterRetention;
		if (retention != null && topic.endsWith(KafkaTopics.DEAD_LETTER_SUFFIX)) {
			newTopic.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())));
		}
		return newTopic;
	}

	/**
	 * Give existing dead-letter topics the retention of dead letters when they have
	 * another one; a broker that refuses gives a warning for each topic.
	 */
	private void retainDeadLetters(Admin admin, List<String> deadLetterTopics) throws InterruptedException {
		Duration retention = this.deadLetterRetention;
		if (retention == null || deadLetterTopics.isEmpty()) {
			return;
		}
		String retentionMs = Long.toString(retention.toMillis());
		List<ConfigResource> resources = deadLetterTopics.stream()
			.map((topic) -> new ConfigResource(ConfigResource.Type.TOPIC, topic))
			.toList();
		Map<ConfigResource, KafkaFuture<Config>> configs = admin.describeConfigs(resources).values();
		Map<ConfigResource, Collection<AlterConfigOp>> changes = new LinkedHashMap<>();
		for (ConfigResource resource : resources) {
			try {
				ConfigEntry entry = configs.get(resource)
					.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
					.get(TopicConfig.RETENTION_MS_CONFIG);
				if (entry == null || !retentionMs.equals(entry.value())) {
					changes.put(resource,
							List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, retentionMs),
									AlterConfigOp.OpType.SET)));
				}
			}
			catch (ExecutionException | TimeoutException ex) {
				warnAboutRetention(resource.name(), retentionMs, ex);
			}
		}
		if (changes.isEmpty()) {
			return;
		}
		Map<ConfigResource, KafkaFuture<Void>> results = admin.incrementalAlterConfigs(changes).values();
		for (Map.Entry<ConfigResource, KafkaFuture<Void>> result : results.entrySet()) {
			try {
				result.getValue().get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
				logger.info("Set {}={} on Kafka dead-letter topic {} (eventy.retention.dead-letters={})",
						TopicConfig.RETENTION_MS_CONFIG, retentionMs, result.getKey().name(), retention);
			}
			catch (ExecutionException | TimeoutException ex) {
				warnAboutRetention(result.getKey().name(), retentionMs, ex);
			}
		}
	}

	private void warnAboutRetention(String topic, String retentionMs, Exception ex) {
		Throwable cause = (ex instanceof ExecutionException && ex.getCause() != null) ? ex.getCause() : ex;
		logger.warn(
				"Could not set {}={} on Kafka dead-letter topic {} for eventy.retention.dead-letters: {}; its "
						+ "dead letters are kept as long as the topic's own retention says",
				TopicConfig.RETENTION_MS_CONFIG, retentionMs, topic, cause.toString());
	}

	private void warnAboutPartitions(Admin admin, List<String> existing)
			throws InterruptedException, ExecutionException, TimeoutException {
		if (existing.isEmpty()) {
			return;
		}
		Map<String, TopicDescription> descriptions = admin.describeTopics(existing)
			.allTopicNames()
			.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		descriptions.forEach((topic, description) -> {
			if (description.partitions().size() != this.partitions) {
				logger.info("Kafka topic {} has {} partitions, not the configured {}; left as it is so that keys "
						+ "keep their partitions", topic, description.partitions().size(), this.partitions);
			}
		});
	}

}
