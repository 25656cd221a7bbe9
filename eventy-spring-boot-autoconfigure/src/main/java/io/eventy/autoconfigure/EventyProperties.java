package io.eventy.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.eventy.store.postgres.PostgresStoreSettings;
import io.eventy.store.postgres.PostgresSubscriptionOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of Eventy, under {@code eventy}.
 */
@ConfigurationProperties("eventy")
public class EventyProperties {

	private final Store store = new Store();

	private final Service service = new Service();

	private final Handlers handlers = new Handlers();

	private final Postgres postgres = new Postgres();

	private final Kafka kafka = new Kafka();

	private final Web web = new Web();

	private final Mdc mdc = new Mdc();

	private final Aggregates aggregates = new Aggregates();

	private final Requests requests = new Requests();

	private final Management management = new Management();

	private final Console console = new Console();

	private final Retention retention = new Retention();

	/**
	 * Other services this one talks to, by service name, such as
	 * 'eventy.services.payment.namespace=urn:payment'. A record type's namespace names
	 * the service that owns it: requests go to it, and handlers of its record types read
	 * its topics on Kafka.
	 */
	private Map<String, OtherService> services = new LinkedHashMap<>();

	public Store getStore() {
		return this.store;
	}

	public Service getService() {
		return this.service;
	}

	public Handlers getHandlers() {
		return this.handlers;
	}

	public Postgres getPostgres() {
		return this.postgres;
	}

	public Kafka getKafka() {
		return this.kafka;
	}

	public Web getWeb() {
		return this.web;
	}

	public Mdc getMdc() {
		return this.mdc;
	}

	public Aggregates getAggregates() {
		return this.aggregates;
	}

	public Requests getRequests() {
		return this.requests;
	}

	public Management getManagement() {
		return this.management;
	}

	public Console getConsole() {
		return this.console;
	}

	public Retention getRetention() {
		return this.retention;
	}

	public Map<String, OtherService> getServices() {
		return this.services;
	}

	public void setServices(Map<String, OtherService> services) {
		this.services = services;
	}

	/**
	 * The kinds of record store.
	 */
	public enum StoreType {

		/** Records in PostgreSQL tables. */
		POSTGRES,

		/** Records on Kafka topics. */
		KAFKA

	}

	/**
	 * Where handlers of a new subscription start.
	 */
	public enum StartPosition {

		/** At the first record in the store. */
		EARLIEST,

		/** After the last record in the store when the subscription is created. */
		LATEST

	}

	public static class Store {

		/**
		 * Where records are stored. When not set: PostgreSQL when a DataSource exists,
		 * else Kafka when Spring Boot's Kafka support is on the classpath.
		 */
		private @Nullable StoreType type;

		public @Nullable StoreType getType() {
			return this.type;
		}

		public void setType(@Nullable StoreType type) {
			this.type = type;
		}

	}

	public static class Service {

		/**
		 * Name of this service, written into every record's source as 'urn:<name>'.
		 * Defaults to 'spring.application.name'.
		 */
		private @Nullable String name;

		/**
		 * Namespace of record types that declare none, a URN. Defaults to 'urn:<service
		 * name>'.
		 */
		private @Nullable String namespace;

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			if (name != null && (name.isBlank() || !name.strip().equals(name))) {
				throw new IllegalArgumentException("must be a non-blank name without surrounding spaces");
			}
			this.name = name;
		}

		public @Nullable String getNamespace() {
			return this.namespace;
		}

		public void setNamespace(@Nullable String namespace) {
			if (namespace != null && (!namespace.startsWith("urn:") || namespace.length() <= 4)) {
				throw new IllegalArgumentException("must be a URN starting with 'urn:', such as 'urn:shop'");
			}
			this.namespace = namespace;
		}

	}

	public static class Requests {

		/**
		 * How long RequestClient.send waits for a response when no timeout is given.
		 */
		private Duration timeout = Duration.ofSeconds(30);

		/**
		 * Most requests that may await their responses at once; sending one more fails
		 * without sending it.
		 */
		private int maxPending = 10_000;

		/**
		 * How often the PostgreSQL store looks for responses while requests await them.
		 */
		private Duration pollInterval = Duration.ofMillis(100);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			if (timeout.isNegative() || timeout.isZero()) {
				throw new IllegalArgumentException("must be positive, was " + timeout);
			}
			this.timeout = timeout;
		}

		public int getMaxPending() {
			return this.maxPending;
		}

		public void setMaxPending(int maxPending) {
			if (maxPending < 1) {
				throw new IllegalArgumentException("must be at least 1, was " + maxPending);
			}
			this.maxPending = maxPending;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			if (pollInterval.isNegative() || pollInterval.isZero()) {
				throw new IllegalArgumentException("must be positive, was " + pollInterval);
			}
			this.pollInterval = pollInterval;
		}

	}

	public static class OtherService {

		/**
		 * Namespace the service owns, a URN such as 'urn:payment': the namespace of its
		 * record types.
		 */
		private @Nullable String namespace;

		/**
		 * Topic of the service's events. Defaults to '<service name>-events'.
		 */
		private @Nullable String eventsTopic;

		/**
		 * Topic of the service's requests, where this service sends the requests of its
		 * namespace. Defaults to '<service name>-requests'.
		 */
		private @Nullable String requestsTopic;

		/**
		 * Topic of the service's responses, where the responses to this service's
		 * requests are. Defaults to '<service name>-responses'.
		 */
		private @Nullable String responsesTopic;

		public @Nullable String getNamespace() {
			return this.namespace;
		}

		public void setNamespace(@Nullable String namespace) {
			if (namespace != null && (!namespace.startsWith("urn:") || namespace.length() <= 4)) {
				throw new IllegalArgumentException("must be a URN starting with 'urn:', such as 'urn:payment'");
			}
			this.namespace = namespace;
		}

		public @Nullable String getEventsTopic() {
			return this.eventsTopic;
		}

		public void setEventsTopic(@Nullable String eventsTopic) {
			this.eventsTopic = Kafka.checkTopic(eventsTopic);
		}

		public @Nullable String getRequestsTopic() {
			return this.requestsTopic;
		}

		public void setRequestsTopic(@Nullable String requestsTopic) {
			this.requestsTopic = Kafka.checkTopic(requestsTopic);
		}

		public @Nullable String getResponsesTopic() {
			return this.responsesTopic;
		}

		public void setResponsesTopic(@Nullable String responsesTopic) {
			this.responsesTopic = Kafka.checkTopic(responsesTopic);
		}

	}

	public static class Handlers {

		/**
		 * Whether @EventHandler methods are discovered and their subscriptions started.
		 */
		private boolean enabled = true;

		/**
		 * Most records a subscription reads and handles at once.
		 */
		private int batchSize = 100;

		/**
		 * How often subscriptions look for new records when no notification wakes them.
		 */
		private Duration pollInterval = Duration.ofSeconds(1);

		/**
		 * Where a new subscription starts reading.
		 */
		private StartPosition startPosition = StartPosition.EARLIEST;

		/**
		 * Segments of each PostgreSQL subscription, 1 to 256: records are assigned to a
		 * segment by a hash of their stream, and the running instances share the
		 * segments, so that many instances (or threads) handle one subscription while
		 * each stream's records stay in order.
		 */
		private int segments = 1;

		/**
		 * Segments of some PostgreSQL subscriptions, by subscription name (bean name and
		 * method name, in brackets: "[orders.onOrderPlaced]").
		 */
		private Map<String, Integer> subscriptionSegments = new LinkedHashMap<>();

		/**
		 * How long an instance owns a PostgreSQL subscription segment without extending
		 * its lease (it does so four times per lease): another instance takes over the
		 * segments of an instance that died after at most this long.
		 */
		private Duration lease = Duration.ofSeconds(10);

		/**
		 * How long a PostgreSQL subscription segment may fail to read records or move its
		 * checkpoint, or wait for one database call, before it is logged as an error and
		 * reported stalled in health and metrics.
		 */
		private Duration stallTimeout = Duration.ofSeconds(30);

		/**
		 * This instance's name as the owner of PostgreSQL subscription segments, unique
		 * among running instances. Defaults to the host name (HOSTNAME when set), process
		 * id and a random part.
		 */
		private @Nullable String instanceId;

		private final Retry retry = new Retry();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			if (batchSize < 1 || batchSize > 10_000) {
				throw new IllegalArgumentException("must be between 1 and 10000");
			}
			this.batchSize = batchSize;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			requirePositive(pollInterval);
			this.pollInterval = pollInterval;
		}

		public StartPosition getStartPosition() {
			return this.startPosition;
		}

		public void setStartPosition(StartPosition startPosition) {
			this.startPosition = startPosition;
		}

		public int getSegments() {
			return this.segments;
		}

		public void setSegments(int segments) {
			requireSegments(segments);
			this.segments = segments;
		}

		public Map<String, Integer> getSubscriptionSegments() {
			return this.subscriptionSegments;
		}

		public void setSubscriptionSegments(Map<String, Integer> subscriptionSegments) {
			subscriptionSegments.values().forEach(Handlers::requireSegments);
			this.subscriptionSegments = subscriptionSegments;
		}

		private static void requireSegments(int segments) {
			if (segments < 1 || segments > PostgresSubscriptionOptions.MAX_SEGMENTS) {
				throw new IllegalArgumentException(
						"must be between 1 and " + PostgresSubscriptionOptions.MAX_SEGMENTS + ", was " + segments);
			}
		}

		public Duration getLease() {
			return this.lease;
		}

		public void setLease(Duration lease) {
			if (lease.compareTo(PostgresSubscriptionOptions.MIN_LEASE) < 0) {
				throw new IllegalArgumentException("must be at least " + PostgresSubscriptionOptions.MIN_LEASE);
			}
			this.lease = lease;
		}

		public Duration getStallTimeout() {
			return this.stallTimeout;
		}

		public void setStallTimeout(Duration stallTimeout) {
			requirePositive(stallTimeout);
			this.stallTimeout = stallTimeout;
		}

		public @Nullable String getInstanceId() {
			return this.instanceId;
		}

		public void setInstanceId(@Nullable String instanceId) {
			this.instanceId = instanceId;
		}

		public Retry getRetry() {
			return this.retry;
		}

	}

	public static class Retry {

		/**
		 * Attempts at handling a record, the first one included, before it goes to the
		 * dead letters.
		 */
		private int maxAttempts = 10;

		/**
		 * Wait before the second attempt.
		 */
		private Duration initialInterval = Duration.ofSeconds(1);

		/**
		 * Factor applied to the wait after each failed attempt.
		 */
		private double multiplier = 2.0;

		/**
		 * Longest wait between two attempts.
		 */
		private Duration maxInterval = Duration.ofMinutes(1);

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			if (maxAttempts < 1) {
				throw new IllegalArgumentException("must be at least 1");
			}
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialInterval() {
			return this.initialInterval;
		}

		public void setInitialInterval(Duration initialInterval) {
			requireNotNegative(initialInterval);
			this.initialInterval = initialInterval;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
				throw new IllegalArgumentException("must be a finite number of at least 1.0");
			}
			this.multiplier = multiplier;
		}

		public Duration getMaxInterval() {
			return this.maxInterval;
		}

		public void setMaxInterval(Duration maxInterval) {
			requireNotNegative(maxInterval);
			this.maxInterval = maxInterval;
		}

	}

	public static class Postgres {

		/**
		 * Schema of Eventy's tables.
		 */
		private String schema = "public";

		/**
		 * Prefix of Eventy's table names.
		 */
		private String tablePrefix = "eventy_";

		/**
		 * Whether Eventy creates and upgrades its tables at startup with its own
		 * Liquibase changelog. Switch off when the schema is managed elsewhere.
		 */
		private boolean initializeSchema = true;

		public String getSchema() {
			return this.schema;
		}

		public void setSchema(String schema) {
			this.schema = PostgresStoreSettings.checkSchema(schema);
		}

		public String getTablePrefix() {
			return this.tablePrefix;
		}

		public void setTablePrefix(String tablePrefix) {
			this.tablePrefix = PostgresStoreSettings.checkTablePrefix(tablePrefix);
		}

		public boolean isInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(boolean initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

	}

	public static class Kafka {

		private static final String TOPIC_NAME_RULE = "must be a Kafka topic name of 1 to 249 characters of [A-Za-z0-9._-]";

		/**
		 * This service's topics also name their dead-letter topic, {@code <topic>.DLT}.
		 */
		private static final int MAX_OWN_TOPIC_LENGTH = 249 - ".DLT".length();

		private static final String OWN_TOPIC_NAME_RULE = "must be a Kafka topic name of 1 to " + MAX_OWN_TOPIC_LENGTH
				+ " characters of [A-Za-z0-9._-] (its dead-letter topic adds '.DLT')";

		/**
		 * Topic of events. Defaults to '<service name>-events'.
		 */
		private @Nullable String eventsTopic;

		/**
		 * Topic of requests. Defaults to '<service name>-requests'.
		 */
		private @Nullable String requestsTopic;

		/**
		 * Topic of responses. Defaults to '<service name>-responses'.
		 */
		private @Nullable String responsesTopic;

		/**
		 * Whether missing topics are created at startup.
		 */
		private boolean createTopics = true;

		/**
		 * Partitions of topics created at startup.
		 */
		private int partitions = 3;

		/**
		 * Replication factor of topics created at startup; the broker's default when not
		 * set.
		 */
		private @Nullable Short replicationFactor;

		/**
		 * Topics of other services that every @EventHandler subscription reads besides
		 * this service's own topics, such as 'shop-events'. Eventy never creates nor
		 * writes them; a missing one is read once it exists.
		 */
		private List<String> subscribeTopics = new ArrayList<>();

		/**
		 * Longest time the Kafka health indicator waits for the broker.
		 */
		private Duration healthTimeout = Duration.ofSeconds(2);

		/**
		 * Prefix of the transactional ids of Eventy's producers, unique to each instance
		 * of the application in the Kafka cluster and the same across its restarts, such
		 * as '${HOSTNAME}-eventy-' with the pod name of a Kubernetes StatefulSet. At
		 * startup Eventy then fences the transactions a previous run of the instance left
		 * open, so that they do not hide later records from every subscription until the
		 * broker's transaction timeout. Defaults to
		 * 'spring.kafka.producer.transaction-id-prefix' followed by 'eventy-', else to a
		 * random prefix per run.
		 */
		private @Nullable String transactionIdPrefix;

		public @Nullable String getEventsTopic() {
			return this.eventsTopic;
		}

		public void setEventsTopic(@Nullable String eventsTopic) {
			this.eventsTopic = checkTopic(eventsTopic);
		}

		public @Nullable String getRequestsTopic() {
			return this.requestsTopic;
		}

		public void setRequestsTopic(@Nullable String requestsTopic) {
			this.requestsTopic = checkTopic(requestsTopic);
		}

		public @Nullable String getResponsesTopic() {
			return this.responsesTopic;
		}

		public void setResponsesTopic(@Nullable String responsesTopic) {
			this.responsesTopic = checkTopic(responsesTopic);
		}

		public boolean isCreateTopics() {
			return this.createTopics;
		}

		public void setCreateTopics(boolean createTopics) {
			this.createTopics = createTopics;
		}

		public int getPartitions() {
			return this.partitions;
		}

		public void setPartitions(int partitions) {
			if (partitions < 1) {
				throw new IllegalArgumentException("must be at least 1");
			}
			this.partitions = partitions;
		}

		public @Nullable Short getReplicationFactor() {
			return this.replicationFactor;
		}

		public void setReplicationFactor(@Nullable Short replicationFactor) {
			if (replicationFactor != null && replicationFactor < 1) {
				throw new IllegalArgumentException("must be at least 1");
			}
			this.replicationFactor = replicationFactor;
		}

		public List<String> getSubscribeTopics() {
			return this.subscribeTopics;
		}

		public void setSubscribeTopics(List<String> subscribeTopics) {
			for (String topic : subscribeTopics) {
				if (topic == null || !isTopicName(topic)) {
					// a list is bound as a whole, so the binder names only 'eventy.kafka'
					throw new IllegalArgumentException(
							"eventy.kafka.subscribe-topics " + TOPIC_NAME_RULE + ", was '" + topic + "'");
				}
			}
			this.subscribeTopics = new ArrayList<>(subscribeTopics);
		}

		public Duration getHealthTimeout() {
			return this.healthTimeout;
		}

		public void setHealthTimeout(Duration healthTimeout) {
			requirePositive(healthTimeout);
			this.healthTimeout = healthTimeout;
		}

		public @Nullable String getTransactionIdPrefix() {
			return this.transactionIdPrefix;
		}

		public void setTransactionIdPrefix(@Nullable String transactionIdPrefix) {
			if (transactionIdPrefix != null && transactionIdPrefix.isBlank()) {
				throw new IllegalArgumentException("must not be blank");
			}
			this.transactionIdPrefix = transactionIdPrefix;
		}

		private static @Nullable String checkTopic(@Nullable String topic) {
			if (topic != null && (!isTopicName(topic) || topic.length() > MAX_OWN_TOPIC_LENGTH)) {
				throw new IllegalArgumentException(OWN_TOPIC_NAME_RULE + ", was '" + topic + "'");
			}
			return topic;
		}

		private static boolean isTopicName(String topic) {
			return !topic.isEmpty() && topic.length() <= 249 && topic.matches("[A-Za-z0-9._-]+") && !topic.equals(".")
					&& !topic.equals("..");
		}

	}

	public static class Web {

		/**
		 * Whether the servlet filter that sets trace and request ids for each request is
		 * registered.
		 */
		private boolean enabled = true;

		/**
		 * Header that carries the request id, read from requests and written to
		 * responses.
		 */
		private String requestIdHeader = "X-Request-Id";

		/**
		 * Header that carries the trace (correlation) id when no tracer is present.
		 */
		private String correlationIdHeader = "X-Correlation-Id";

		/**
		 * Order of the servlet filter; early, so that everything after it sees the ids.
		 */
		private int filterOrder = -104;

		private final Ingest ingest = new Ingest();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getRequestIdHeader() {
			return this.requestIdHeader;
		}

		public void setRequestIdHeader(String requestIdHeader) {
			this.requestIdHeader = checkHeader(requestIdHeader);
		}

		public String getCorrelationIdHeader() {
			return this.correlationIdHeader;
		}

		public void setCorrelationIdHeader(String correlationIdHeader) {
			this.correlationIdHeader = checkHeader(correlationIdHeader);
		}

		public int getFilterOrder() {
			return this.filterOrder;
		}

		public void setFilterOrder(int filterOrder) {
			this.filterOrder = filterOrder;
		}

		public Ingest getIngest() {
			return this.ingest;
		}

		private static String checkHeader(String header) {
			if (header == null || header.isEmpty() || !header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
				throw new IllegalArgumentException("must be an HTTP header name (a token)");
			}
			return header;
		}

	}

	public static class Ingest {

		/**
		 * Whether clients may log events over HTTP, as eventlib's 'POST /event/log' does:
		 * 'POST <path>/<namespace:name>' with a JSON object, or 'POST
		 * <path>?__event__=<namespace:name>' with form or query parameters. Requires
		 * 'eventy.web.ingest.allowed-names'.
		 */
		private boolean enabled;

		/**
		 * Path of the endpoint, such as '/event/log'.
		 */
		private String path = "/event/log";

		/**
		 * Event types clients may log: exact 'namespace:name' names such as
		 * 'urn:shop:Clicked', or patterns where '*' stands for any characters, such as
		 * 'urn:shop:*'. Only EVENT record types are ever accepted. Required when ingest
		 * is enabled.
		 */
		private List<String> allowedNames = new ArrayList<>();

		/**
		 * Largest request body accepted; a larger one is answered with 413 Content Too
		 * Large before it is read whole.
		 */
		private DataSize maxBodySize = DataSize.ofKilobytes(64);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			if (path == null || !path.matches("(/[A-Za-z0-9._~!$&'()+,;=:@-]+)+")) {
				throw new IllegalArgumentException(
						"must be a path such as '/event/log': segments of URL characters, each after a '/',"
								+ " no trailing '/', no pattern characters");
			}
			this.path = path;
		}

		public List<String> getAllowedNames() {
			return this.allowedNames;
		}

		public void setAllowedNames(List<String> allowedNames) {
			for (String name : allowedNames) {
				if (name == null || !name.startsWith("urn:") || !name.matches("\\S+") || name.endsWith(":")
						|| (name.indexOf(':', 4) < 0 && !name.contains("*"))) {
					throw new IllegalArgumentException("each must be a record type name 'namespace:name' such as"
							+ " 'urn:shop:Clicked', or a pattern with '*' such as 'urn:shop:*', was '" + name + "'");
				}
			}
			this.allowedNames = allowedNames;
		}

		public DataSize getMaxBodySize() {
			return this.maxBodySize;
		}

		public void setMaxBodySize(DataSize maxBodySize) {
			if (maxBodySize.toBytes() <= 0) {
				throw new IllegalArgumentException("must be positive, was " + maxBodySize);
			}
			this.maxBodySize = maxBodySize;
		}

	}

	public static class Mdc {

		/**
		 * MDC key of the trace id.
		 */
		private String traceIdKey = "traceId";

		/**
		 * MDC key of the request id.
		 */
		private String requestIdKey = "requestId";

		public String getTraceIdKey() {
			return this.traceIdKey;
		}

		public void setTraceIdKey(String traceIdKey) {
			this.traceIdKey = checkKey(traceIdKey);
		}

		public String getRequestIdKey() {
			return this.requestIdKey;
		}

		public void setRequestIdKey(String requestIdKey) {
			this.requestIdKey = checkKey(requestIdKey);
		}

		private static String checkKey(String key) {
			if (key == null || key.isBlank()) {
				throw new IllegalArgumentException("must not be blank");
			}
			return key;
		}

	}

	private static void requirePositive(Duration duration) {
		if (duration == null || duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("must be a positive duration");
		}
	}

	private static void requireNotNegative(Duration duration) {
		if (duration == null || duration.isNegative()) {
			throw new IllegalArgumentException("must not be negative");
		}
	}

	public static class Aggregates {

		/**
		 * How often an aggregate update runs its command when another writer appends to
		 * the aggregate's stream first, before it throws ConcurrencyException.
		 */
		private int maxAttempts = io.eventy.aggregate.Aggregates.DEFAULT_MAX_ATTEMPTS;

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			if (maxAttempts < 1) {
				throw new IllegalArgumentException("must be at least 1");
			}
			this.maxAttempts = maxAttempts;
		}

	}

	public static class Management {

		private final WriteOperations writeOperations = new WriteOperations();

		public WriteOperations getWriteOperations() {
			return this.writeOperations;
		}

	}

	public static class WriteOperations {

		/**
		 * Whether the 'eventy' actuator endpoint offers its write operations (pause,
		 * resume, reset, re-drive, discard, forget). Without them the endpoint only
		 * reads.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	public static class Console {

		/**
		 * Whether the web console is served. It reads the 'eventy' actuator endpoint,
		 * which must be exposed over HTTP on the application's own port.
		 */
		private boolean enabled;

		/**
		 * Path of the web console, below the servlet context path.
		 */
		private String path = "/eventy";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			if (path == null || !path.matches("(/[A-Za-z0-9._~-]+)+")) {
				throw new IllegalArgumentException(
						"must be a path of one or more segments of [A-Za-z0-9._~-], starting with '/' and not ending with it, such as '/eventy'");
			}
			this.path = path;
		}

	}

	public static class Retention {

		/**
		 * How long dead letters are kept after they died, such as '30d'; kept until
		 * re-driven or discarded when not set. On Kafka, the 'retention.ms' of the
		 * dead-letter topics Eventy creates (eventy.kafka.create-topics), also set at
		 * startup on those that exist with another one: Kafka deletes whole log segments,
		 * so a dead letter may outlive it by up to a segment's age; when not set, those
		 * topics keep the broker's retention. Records are never deleted.
		 */
		private @Nullable Duration deadLetters;

		/**
		 * How often expired dead letters are deleted, by one instance at a time.
		 */
		private Duration checkInterval = Duration.ofHours(1);

		public @Nullable Duration getDeadLetters() {
			return this.deadLetters;
		}

		public void setDeadLetters(@Nullable Duration deadLetters) {
			if (deadLetters != null) {
				requirePositive(deadLetters);
			}
			this.deadLetters = deadLetters;
		}

		public Duration getCheckInterval() {
			return this.checkInterval;
		}

		public void setCheckInterval(Duration checkInterval) {
			requirePositive(checkInterval);
			this.checkInterval = checkInterval;
		}

	}

}
