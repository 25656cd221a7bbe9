package io.eventy.store.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.eventy.handler.DeadLetters;
import io.eventy.handler.Guarantee;
import io.eventy.handler.HandlerEndpoint;
import io.eventy.handler.ResetTo;
import io.eventy.handler.StartPosition;
import io.eventy.handler.SubscriptionState;
import io.eventy.handler.SubscriptionStatus;
import io.eventy.handler.SubscriptionStatus.Checkpoint;
import io.eventy.handler.Subscriptions;
import io.eventy.handler.UnknownSubscriptionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * The {@link Subscriptions} of a service on Kafka, run by {@link KafkaSubscriptions}:
 * <ul>
 * <li>a status reads the consumer group of each subscription from the broker (committed
 * offsets, end offsets of its topics, the members that own its partitions) in a few admin
 * calls that share a {@link #KafkaSubscriptionOperations timeout}; when the broker does
 * not answer in time, the status says so with a lag of {@code -1} and no checkpoints,
 * never with an exception. Rate, last error and the state come from this instance;</li>
 * <li>pause and resume are commands on the {@link KafkaSubscriptionControl control
 * topic}, which every instance reads and applies to its listener containers, also when it
 * starts;</li>
 * <li>a reset moves the consumer group's committed offsets, which Kafka allows only while
 * the group has no member: it asks every instance to stop the subscription (control
 * topic), waits for the group to be empty, alters its offsets, then asks every instance
 * to start it again. When the group does not empty in time, nothing changes and the reset
 * throws;</li>
 * <li>the abandoned subscriptions are the consumer groups named after this service
 * ({@code <service>.<subscription>}, and their {@code .dead-letters} groups) that have no
 * member and are no subscription of this instance.</li>
 * </ul>
 */
public final class KafkaSubscriptionOperations implements Subscriptions, AutoCloseable {

	/** The store named in statuses. */
	public static final String STORE = "kafka";

	private static final Logger logger = LoggerFactory.getLogger(KafkaSubscriptionOperations.class);

	private static final String DEAD_LETTERS_SUFFIX = ".dead-letters";

	private final KafkaSubscriptions subscriptions;

	private final DeadLetters deadLetters;

	private final Map<String, Object> adminProperties;

	private final Duration timeout;

	private volatile Duration resetTimeout = Duration.ofSeconds(30);

	private volatile Duration stallTimeout = Duration.ofSeconds(30);

	private volatile long catchingUpLag = 1000;

	private @Nullable Admin admin;

	/**
	 * Create the operations.
	 * @param subscriptions the subscriptions, with their {@link KafkaSubscriptionControl
	 * control}
	 * @param deadLetters their dead letters
	 * @param adminProperties Kafka admin client properties, with bootstrap servers
	 * @param timeout how long one status or admin step waits for the broker
	 */
	public KafkaSubscriptionOperations(KafkaSubscriptions subscriptions, DeadLetters deadLetters,
			Map<String, ?> adminProperties, Duration timeout) {
		this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
		this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
		this.adminProperties = new HashMap<>(adminProperties);
		this.timeout = Objects.requireNonNull(timeout, "timeout");
	}

	/**
	 * Set how long a reset waits for every instance to stop the subscription.
	 * @param resetTimeout the time; 30 seconds by default
	 */
	public void setResetTimeout(Duration resetTimeout) {
		this.resetTimeout = Objects.requireNonNull(resetTimeout, "resetTimeout");
	}

	/**
	 * Set how long a record may keep failing before its subscription is reported
	 * {@link SubscriptionState#STALLED}.
	 * @param stallTimeout the time; 30 seconds by default
	 */
	public void setStallTimeout(Duration stallTimeout) {
		this.stallTimeout = Objects.requireNonNull(stallTimeout, "stallTimeout");
	}

	/**
	 * Set the lag above which a subscription is reported
	 * {@link SubscriptionState#CATCHING_UP}.
	 * @param catchingUpLag records waiting; 1000 by default
	 */
	public void setCatchingUpLag(long catchingUpLag) {
		this.catchingUpLag = catchingUpLag;
	}

	@Override
	public List<SubscriptionStatus> list() {
		List<HandlerEndpoint> endpoints = this.subscriptions.registry()
			.endpoints()
			.stream()
			.sorted(Comparator.comparing(HandlerEndpoint::subscription))
			.toList();
		return status(endpoints);
	}

	@Override
	public SubscriptionStatus get(String name) {
		return status(List.of(endpoint(name))).get(0);
	}

	private List<SubscriptionStatus> status(List<HandlerEndpoint> endpoints) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		KafkaSubscriptionSettings settings = this.subscriptions.settings();
		Map<String, GroupView> groups = new HashMap<>();
		boolean known;
		try {
			Admin admin = admin();
			Set<String> topics = new TreeSet<>();
			endpoints.forEach((endpoint) -> topics.addAll(settings.topicsOf(endpoint)));
			Map<String, TopicDescription> described = describeTopics(admin, topics, deadline);
			Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
			described.values()
				.forEach((topic) -> topic.partitions()
					.forEach((info) -> latest.put(new TopicPartition(topic.name(), info.partition()),
							OffsetSpec.latest())));
			List<TopicPartition> partitions = List.copyOf(latest.keySet());
			Map<TopicPartition, Long> ends = listOffsets(admin, partitions, OffsetSpec.latest(), deadline);
			// where a group that never committed on a partition starts
			Map<TopicPartition, Long> starts = (settings.options().startPosition() == StartPosition.LATEST) ? ends
					: listOffsets(admin, partitions, OffsetSpec.earliest(), deadline);
			for (HandlerEndpoint endpoint : endpoints) {
				String group = settings.groupId(endpoint.subscription());
				Map<TopicPartition, OffsetAndMetadata> committed = get(admin
					.listConsumerGroupOffsets(group,
							new ListConsumerGroupOffsetsOptions().timeoutMs(remainingMillis(deadline)))
					.partitionsToOffsetAndMetadata(), deadline);
				groups.put(endpoint.subscription(), new GroupView(partitionsOf(settings.topicsOf(endpoint), described),
						committed, starts, ends, owners(describe(admin, group, deadline))));
			}
			known = true;
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			logger.debug("Could not read the subscriptions' consumer groups", ex);
			known = false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			known = false;
		}
		List<SubscriptionStatus> result = new ArrayList<>(endpoints.size());
		for (HandlerEndpoint endpoint : endpoints) {
			result.add(status(endpoint, known ? groups.get(endpoint.subscription()) : null));
		}
		return result;
	}

	private SubscriptionStatus status(HandlerEndpoint endpoint, @Nullable GroupView group) {
		String name = endpoint.subscription();
		List<Checkpoint> checkpoints = new ArrayList<>();
		long lag = -1;
		long deadLetterCount = -1;
		if (group != null) {
			lag = 0;
			for (TopicPartition partition : group.partitions()) {
				OffsetAndMetadata committed = group.committed().get(partition);
				Long end = group.ends().get(partition);
				Long start = group.starts().get(partition);
				long position = (committed != null) ? committed.offset() : -1;
				long partitionLag = -1;
				if (end != null && committed != null) {
					partitionLag = Math.max(0, end - committed.offset());
				}
				else if (end != null && start != null) {
					partitionLag = Math.max(0, end - start);
				}
				lag = (lag < 0 || partitionLag < 0) ? -1 : lag + partitionLag;
				checkpoints.add(new Checkpoint(partition.topic() + "-" + partition.partition(), position, partitionLag,
						group.owners().get(partition)));
			}
			try {
				deadLetterCount = this.deadLetters.count(name);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not count the dead letters of subscription {}", name, ex);
			}
		}
		SubscriptionActivity activity = this.subscriptions.activity(name);
		SubscriptionState state = state(name, lag, activity);
		return new SubscriptionStatus(name, STORE, endpoint.guarantee(), checkpoints.size(), state, checkpoints, lag,
				(activity != null) ? activity.rate() : 0, deadLetterCount,
				(activity != null) ? activity.lastError() : null, (activity != null) ? activity.lastErrorAt() : null);
	}

	private SubscriptionState state(String name, long lag, @Nullable SubscriptionActivity activity) {
		ConcurrentMessageListenerContainer<String, byte[]> container = this.subscriptions.container(name);
		if (this.subscriptions.isPaused(name)) {
			return SubscriptionState.PAUSED;
		}
		if (container == null || !container.isRunning()) {
			return SubscriptionState.STOPPED;
		}
		Instant failingSince = (activity != null) ? activity.failingSince() : null;
		if (failingSince != null && failingSince.plus(this.stallTimeout).isBefore(Instant.now())) {
			return SubscriptionState.STALLED;
		}
		if (lag > this.catchingUpLag) {
			return SubscriptionState.CATCHING_UP;
		}
		return SubscriptionState.RUNNING;
	}

	private static List<TopicPartition> partitionsOf(List<String> topics, Map<String, TopicDescription> described) {
		List<TopicPartition> partitions = new ArrayList<>();
		for (String topic : topics) {
			TopicDescription description = described.get(topic);
			if (description != null) {
				description.partitions().forEach((info) -> partitions.add(new TopicPartition(topic, info.partition())));
			}
		}
		partitions.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
		return partitions;
	}

	private static Map<TopicPartition, String> owners(@Nullable ConsumerGroupDescription group) {
		Map<TopicPartition, String> owners = new HashMap<>();
		if (group != null) {
			for (MemberDescription member : group.members()) {
				String owner = member.clientId() + member.host();
				member.assignment().topicPartitions().forEach((partition) -> owners.put(partition, owner));
			}
		}
		return owners;
	}

	/**
	 * Describe the topics that exist among those asked for; a missing one (another
	 * service's topic not created yet) is left out.
	 */
	private Map<String, TopicDescription> describeTopics(Admin admin, Collection<String> topics, long deadline)
			throws InterruptedException, ExecutionException, TimeoutException {
		Map<String, TopicDescription> described = new HashMap<>();
		var futures = admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs(remainingMillis(deadline)))
			.topicNameValues();
		for (Map.Entry<String, KafkaFuture<TopicDescription>> future : futures.entrySet()) {
			try {
				described.put(future.getKey(), get(future.getValue(), deadline));
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
					throw ex;
				}
			}
		}
		return described;
	}

	@Override
	public void pause(String name) {
		endpoint(name);
		KafkaSubscriptionControl control = control();
		control.write(name, control.state(name).withPaused(true));
		logger.info("Asked every instance to pause subscription {}", name);
	}

	@Override
	public void resume(String name) {
		endpoint(name);
		KafkaSubscriptionControl control = control();
		control.write(name, control.state(name).withPaused(false));
		logger.info("Asked every instance to resume subscription {}", name);
	}

	/**
	 * Move the subscription's consumer group offsets: ask every instance to stop the
	 * subscription, wait for the group to have no member (at most the
	 * {@link #setResetTimeout(Duration) reset timeout}), alter its offsets, and ask every
	 * instance to start it again. {@link ResetTo#position(long)} is an offset in every
	 * partition, held within the partition's earliest and latest offsets;
	 * {@link ResetTo#time(java.time.Instant)} is the first offset whose record's
	 * timestamp is at or after the time, the end of a partition without one.
	 * @throws IllegalStateException when the group did not empty in time (its offsets are
	 * then left as they were) or the broker refused
	 */
	@Override
	public void reset(String name, ResetTo to) {
		Objects.requireNonNull(to, "to");
		HandlerEndpoint endpoint = endpoint(name);
		KafkaSubscriptionControl control = control();
		KafkaSubscriptionSettings settings = this.subscriptions.settings();
		String group = settings.groupId(name);
		String resetId = UUID.randomUUID().toString();
		Duration resetTimeout = this.resetTimeout;
		// the stop outlives the wait a little, so that the offsets change while it holds
		long stopUntil = System.currentTimeMillis() + resetTimeout.toMillis() + this.timeout.toMillis() * 2;
		control.write(name, control.state(name).withStop(resetId, stopUntil));
		logger.info("Asked every instance to stop subscription {} for a reset to {}", name, to);
		try {
			Admin admin = admin();
			awaitEmpty(admin, group, resetTimeout);
			long deadline = System.nanoTime() + this.timeout.toNanos();
			Map<String, TopicDescription> described = describeTopics(admin, settings.topicsOf(endpoint), deadline);
			List<TopicPartition> partitions = partitionsOf(settings.topicsOf(endpoint), described);
			Map<TopicPartition, OffsetAndMetadata> offsets = offsets(admin, partitions, to, deadline);
			get(admin.alterConsumerGroupOffsets(group, offsets).all(), deadline);
			logger.info("Reset subscription {} to {}: offsets {}", name, to, offsets);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Could not reset subscription " + name + ": " + ex.getCause(),
					ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException(
					"Could not reset subscription " + name + ": the broker did not answer within " + this.timeout, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while resetting subscription " + name, ex);
		}
		finally {
			control.write(name, control.state(name).withStop(null, 0));
			logger.info("Asked every instance to start subscription {} again", name);
		}
	}

	private void awaitEmpty(Admin admin, String group, Duration resetTimeout)
			throws InterruptedException, ExecutionException, TimeoutException {
		long deadline = System.nanoTime() + resetTimeout.toNanos();
		while (true) {
			long stepDeadline = System.nanoTime() + this.timeout.toNanos();
			ConsumerGroupDescription description = describe(admin, group, stepDeadline);
			if (description == null || description.members().isEmpty()) {
				return;
			}
			if (System.nanoTime() > deadline) {
				List<String> members = description.members()
					.stream()
					.map((member) -> member.clientId() + member.host())
					.toList();
				throw new IllegalStateException("Could not reset subscription "
						+ group.substring(this.subscriptions.settings().groupPrefix().length() + 1)
						+ ": its consumer group " + group + " still had members " + members + " after " + resetTimeout
						+ " (an instance that does not read the control topic " + control().topic()
						+ ", or a handler that does not return?); its offsets were left as they were");
			}
			Thread.sleep(100);
		}
	}

	private @Nullable ConsumerGroupDescription describe(Admin admin, String group, long deadline)
			throws InterruptedException, ExecutionException, TimeoutException {
		try {
			ConsumerGroupDescription description = get(admin
				.describeConsumerGroups(List.of(group),
						new DescribeConsumerGroupsOptions().timeoutMs(remainingMillis(deadline)))
				.describedGroups()
				.get(group), deadline);
			return description;
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof GroupIdNotFoundException) {
				return null;
			}
			throw ex;
		}
	}

	private Map<TopicPartition, OffsetAndMetadata> offsets(Admin admin, List<TopicPartition> partitions, ResetTo to,
			long deadline) throws InterruptedException, ExecutionException, TimeoutException {
		Map<TopicPartition, Long> earliest = listOffsets(admin, partitions, OffsetSpec.earliest(), deadline);
		Map<TopicPartition, Long> latest = listOffsets(admin, partitions, OffsetSpec.latest(), deadline);
		Map<TopicPartition, Long> target;
		if (to instanceof ResetTo.Position position) {
			target = new HashMap<>();
			for (TopicPartition partition : partitions) {
				target.put(partition,
						Math.max(earliest.get(partition), Math.min(latest.get(partition), position.position())));
			}
		}
		else if (to instanceof ResetTo.Time time) {
			Map<TopicPartition, Long> at = listOffsets(admin, partitions,
					OffsetSpec.forTimestamp(time.time().toEpochMilli()), deadline);
			target = new HashMap<>();
			for (TopicPartition partition : partitions) {
				Long offset = at.get(partition);
				target.put(partition, (offset != null && offset >= 0) ? offset : latest.get(partition));
			}
		}
		else {
			target = (to == ResetTo.earliest()) ? earliest : latest;
		}
		Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
		target.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
		return offsets;
	}

	private Map<TopicPartition, Long> listOffsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec,
			long deadline) throws InterruptedException, ExecutionException, TimeoutException {
		Map<TopicPartition, OffsetSpec> request = new HashMap<>();
		partitions.forEach((partition) -> request.put(partition, spec));
		Map<TopicPartition, ListOffsetsResultInfo> result = get(admin
			.listOffsets(request,
					new ListOffsetsOptions(IsolationLevel.READ_COMMITTED).timeoutMs(remainingMillis(deadline)))
			.all(), deadline);
		Map<TopicPartition, Long> offsets = new HashMap<>();
		result.forEach((partition, info) -> offsets.put(partition, info.offset()));
		return offsets;
	}

	@Override
	public List<String> abandoned() {
		try {
			return abandoned(System.nanoTime() + this.timeout.toNanos());
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not list the consumer groups of this service: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while listing consumer groups", ex);
		}
	}

	// listConsumerGroups is deprecated in Kafka 4 for listGroups, which Kafka 3.9 (Spring
	// Boot 3.5) does not have
	@SuppressWarnings({ "removal", "deprecation" })
	private List<String> abandoned(long deadline) throws InterruptedException, ExecutionException, TimeoutException {
		String prefix = this.subscriptions.settings().groupPrefix() + ".";
		Admin admin = admin();
		Collection<ConsumerGroupListing> listings = get(
				admin.listConsumerGroups(new ListConsumerGroupsOptions().timeoutMs(remainingMillis(deadline))).all(),
				deadline);
		Set<String> current = new TreeSet<>();
		this.subscriptions.registry().endpoints().forEach((endpoint) -> current.add(endpoint.subscription()));
		Set<String> names = new TreeSet<>();
		for (ConsumerGroupListing listing : listings) {
			String group = listing.groupId();
			if (!group.startsWith(prefix) || group.length() == prefix.length()) {
				continue;
			}
			String name = group.substring(prefix.length());
			if (name.endsWith(DEAD_LETTERS_SUFFIX) && name.length() > DEAD_LETTERS_SUFFIX.length()) {
				name = name.substring(0, name.length() - DEAD_LETTERS_SUFFIX.length());
			}
			if (!current.contains(name)) {
				names.add(name);
			}
		}
		List<String> abandoned = new ArrayList<>();
		for (String name : names) {
			ConsumerGroupDescription group = describe(admin, prefix + name, deadline);
			if (group == null || group.members().isEmpty()) {
				abandoned.add(name);
			}
		}
		return abandoned;
	}

	/**
	 * Delete the consumer group of an abandoned subscription and the one that tracks its
	 * dead letters. The dead-letter copies stay on the dead-letter topics until their
	 * retention removes them: a subscription of the same name created later would list
	 * them again.
	 */
	@Override
	public void forget(String name) {
		Objects.requireNonNull(name, "name");
		if (this.subscriptions.registry().endpoints().stream().anyMatch((e) -> e.subscription().equals(name))) {
			throw new IllegalStateException("Subscription " + name + " is a subscription of this service: only an "
					+ "abandoned subscription can be forgotten");
		}
		KafkaSubscriptionSettings settings = this.subscriptions.settings();
		String group = settings.groupId(name);
		long deadline = System.nanoTime() + this.timeout.toNanos();
		try {
			Admin admin = admin();
			ConsumerGroupDescription description = describe(admin, group, deadline);
			if (description != null && !description.members().isEmpty()) {
				throw new IllegalStateException("Subscription " + name + " runs in another instance (consumer group "
						+ group + " has members): only an abandoned subscription can be forgotten");
			}
			List<String> groups = List.of(group, settings.deadLetterGroupId(name));
			var results = admin.deleteConsumerGroups(groups).deletedGroups();
			for (String deleted : groups) {
				try {
					get(results.get(deleted), deadline);
				}
				catch (ExecutionException ex) {
					if (!(ex.getCause() instanceof GroupIdNotFoundException)) {
						throw ex;
					}
				}
			}
			KafkaSubscriptionControl control = this.subscriptions.control();
			if (control != null && control.isAvailable()
					&& !control.state(name).equals(KafkaSubscriptionControl.State.RUNNING)) {
				control.write(name, KafkaSubscriptionControl.State.RUNNING);
			}
			logger.info("Forgot subscription {}: deleted consumer groups {}", name, groups);
		}
		catch (ExecutionException | TimeoutException ex) {
			Throwable cause = (ex instanceof ExecutionException && ex.getCause() != null) ? ex.getCause() : ex;
			throw new IllegalStateException("Could not forget subscription " + name + ": " + cause, cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while forgetting subscription " + name, ex);
		}
	}

	private HandlerEndpoint endpoint(String name) {
		Objects.requireNonNull(name, "name");
		return this.subscriptions.registry()
			.endpoints()
			.stream()
			.filter((endpoint) -> endpoint.subscription().equals(name))
			.findFirst()
			.orElseThrow(() -> new UnknownSubscriptionException(name));
	}

	private KafkaSubscriptionControl control() {
		KafkaSubscriptionControl control = this.subscriptions.control();
		if (control == null) {
			throw new IllegalStateException("The subscriptions of this service have no control topic: they cannot "
					+ "be paused, resumed nor reset");
		}
		return control;
	}

	private synchronized Admin admin() {
		Admin admin = this.admin;
		if (admin == null) {
			admin = Admin.create(this.adminProperties);
			this.admin = admin;
		}
		return admin;
	}

	/**
	 * Close the admin client.
	 */
	@Override
	public synchronized void close() {
		Admin admin = this.admin;
		this.admin = null;
		if (admin != null) {
			admin.close(Duration.ZERO);
		}
	}

	private static <T> T get(KafkaFuture<T> future, long deadline)
			throws InterruptedException, ExecutionException, TimeoutException {
		return future.get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
	}

	private static int remainingMillis(long deadline) {
		return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
	}

	/**
	 * A subscription's consumer group as the broker told it.
	 */
	private record GroupView(List<TopicPartition> partitions, Map<TopicPartition, OffsetAndMetadata> committed,
			Map<TopicPartition, Long> starts, Map<TopicPartition, Long> ends, Map<TopicPartition, String> owners) {
	}

}
