package io.eventy.store.postgres;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * How PostgreSQL subscriptions share their work between instances.
 *
 * @param segments how many segments a subscription has unless named in
 * {@code subscriptionSegments}, 1 to {@value #MAX_SEGMENTS}: records are assigned to a
 * segment by a hash of their stream, each segment has its own checkpoint and is handled
 * by one instance at a time, so up to that many instances (or threads) handle a
 * subscription at once
 * @param subscriptionSegments the number of segments of some subscriptions, by name
 * @param lease how long an instance owns a segment without extending it: when an instance
 * dies, another one takes its segments over after at most this long
 * @param stallTimeout how long a segment may fail to reach the database, or wait for one
 * database call, before it is reported as stalled
 * @param instanceId this instance's name in the {@code owner} column, unique among the
 * running instances
 */
public record PostgresSubscriptionOptions(int segments, Map<String, Integer> subscriptionSegments, Duration lease,
		Duration stallTimeout, String instanceId) {

	/** The most segments a subscription may have. */
	public static final int MAX_SEGMENTS = 256;

	/** The shortest lease: the heartbeat extends leases four times per lease. */
	public static final Duration MIN_LEASE = Duration.ofMillis(400);

	public PostgresSubscriptionOptions {
		checkSegments("segments", segments);
		subscriptionSegments = Map.copyOf(Objects.requireNonNull(subscriptionSegments, "subscriptionSegments"));
		subscriptionSegments.forEach((name, count) -> checkSegments("segments of subscription '" + name + "'", count));
		Objects.requireNonNull(lease, "lease");
		if (lease.compareTo(MIN_LEASE) < 0) {
			throw new IllegalArgumentException("lease must be at least " + MIN_LEASE + ", was " + lease);
		}
		Objects.requireNonNull(stallTimeout, "stallTimeout");
		if (stallTimeout.isNegative() || stallTimeout.isZero()) {
			throw new IllegalArgumentException("stallTimeout must be positive, was " + stallTimeout);
		}
		Objects.requireNonNull(instanceId, "instanceId");
		if (instanceId.isBlank()) {
			throw new IllegalArgumentException("instanceId must not be blank");
		}
	}

	private static void checkSegments(String what, int count) {
		if (count < 1 || count > MAX_SEGMENTS) {
			throw new IllegalArgumentException(what + " must be between 1 and " + MAX_SEGMENTS + ", was " + count);
		}
	}

	/**
	 * The defaults: one segment per subscription, a lease of 10 seconds, stalled after 30
	 * seconds, and an instance id of host name ({@code HOSTNAME} when set), process id
	 * and a random part.
	 * @return the default options
	 */
	public static PostgresSubscriptionOptions defaults() {
		return new PostgresSubscriptionOptions(1, Map.of(), Duration.ofSeconds(10), Duration.ofSeconds(30),
				defaultInstanceId());
	}

	/**
	 * Return a copy with another default number of segments.
	 * @param segments the number of segments
	 * @return new options
	 */
	public PostgresSubscriptionOptions withSegments(int segments) {
		return new PostgresSubscriptionOptions(segments, this.subscriptionSegments, this.lease, this.stallTimeout,
				this.instanceId);
	}

	/**
	 * Return a copy with the number of segments of some subscriptions.
	 * @param subscriptionSegments the number of segments by subscription name
	 * @return new options
	 */
	public PostgresSubscriptionOptions withSubscriptionSegments(Map<String, Integer> subscriptionSegments) {
		return new PostgresSubscriptionOptions(this.segments, subscriptionSegments, this.lease, this.stallTimeout,
				this.instanceId);
	}

	/**
	 * Return a copy with another lease.
	 * @param lease the lease
	 * @return new options
	 */
	public PostgresSubscriptionOptions withLease(Duration lease) {
		return new PostgresSubscriptionOptions(this.segments, this.subscriptionSegments, lease, this.stallTimeout,
				this.instanceId);
	}

	/**
	 * Return a copy with another stall timeout.
	 * @param stallTimeout the stall timeout
	 * @return new options
	 */
	public PostgresSubscriptionOptions withStallTimeout(Duration stallTimeout) {
		return new PostgresSubscriptionOptions(this.segments, this.subscriptionSegments, this.lease, stallTimeout,
				this.instanceId);
	}

	/**
	 * Return a copy with another instance id.
	 * @param instanceId the instance id
	 * @return new options
	 */
	public PostgresSubscriptionOptions withInstanceId(String instanceId) {
		return new PostgresSubscriptionOptions(this.segments, this.subscriptionSegments, this.lease, this.stallTimeout,
				instanceId);
	}

	/**
	 * Return the number of segments of a subscription.
	 * @param subscription the subscription name
	 * @return its number of segments
	 */
	public int segments(String subscription) {
		return this.subscriptionSegments.getOrDefault(subscription, this.segments);
	}

	private static String defaultInstanceId() {
		// a pod's name in Kubernetes; no name lookup, which may take seconds
		String host = System.getenv("HOSTNAME");
		if (host == null || host.isBlank()) {
			try {
				host = InetAddress.getLocalHost().getHostName();
			}
			catch (UnknownHostException ex) {
				host = "unknown-host";
			}
		}
		String random = UUID.randomUUID().toString().substring(0, 8);
		return host + "/" + ManagementFactory.getRuntimeMXBean().getPid() + "/" + random;
	}

}
