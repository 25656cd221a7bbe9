package io.eventy.store.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordFactory;
import io.eventy.serializer.RecordSerializer;
import io.eventy.store.AppendResult;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.UnsupportedStoreOperationException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FenceProducersOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.SendResult;

/**
 * The Kafka {@link EventStore}: each record is the Eventy protocol JSON (what the
 * {@link RecordSerializer} writes) on the topic of its kind ({@link KafkaTopics}; a
 * request on the requests topic of its target service with {@link KafkaRouting}), keyed
 * by its partition key (the stream's {@link StreamId#partitionKey()} for an append), with
 * the request id, causation id, stream and {@code traceparent} in
 * {@link EventyKafkaHeaders headers}.
 * <p>
 * {@link #append} and {@link #publish} return once the broker has acknowledged every
 * record ({@code acks=all}, idempotent producer, {@code linger.ms=0}). An append of
 * several records is atomic: it runs in a Kafka transaction, so a {@code read_committed}
 * consumer sees all of them or none (Kafka writes the commit markers that make them
 * visible a moment after the append returned). Inside a Kafka transaction (an
 * {@code EXACTLY_ONCE} handler, or a Spring transaction synchronized with Kafka) records
 * join that transaction and become visible when it commits.
 * <p>
 * What Kafka cannot answer correctly throws {@link UnsupportedStoreOperationException}
 * naming the PostgreSQL store ({@code eventy.store.type=postgres}) as the way:
 * <ul>
 * <li>expected versions other than {@link ExpectedVersion#any()}: Kafka keeps no stream
 * versions, so none can be checked;</li>
 * <li>{@link #readStream}: a stream's records share a partition with other streams and
 * have no version to read from;</li>
 * <li>{@link #readAll} and {@link #readCategory}: Kafka has no global position, only an
 * offset per topic partition. Consume records with {@code @EventHandler} methods
 * instead.</li>
 * </ul>
 * Arguments are checked first, as on PostgreSQL: a bad argument throws
 * {@link IllegalArgumentException}.
 * <p>
 * As Kafka keeps neither stream versions nor a global position, a {@link StoredRecord}
 * from this store has stream version {@code 0} (so does
 * {@link AppendResult#streamVersion()}), and its {@link StoredRecord#position() position}
 * is its offset in its topic partition.
 * <p>
 * Transactional ids are the producer factory's prefix followed by a number, and a process
 * reuses its numbers ({@link #producerFactory(Map, String)}); the id of a producer closed
 * after a failure is fenced at once, so the broker aborts what the failed one left open.
 * A prefix that stays the same when an instance restarts lets the new process fence what
 * its predecessor left open too ({@link #fenceAbandonedTransactions(Duration)}); the
 * prefix must then be unique to the instance, or instances fence each other.
 */
public final class KafkaEventStore implements EventStore, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(KafkaEventStore.class);

	private static final Duration ADMIN_CLOSE_TIMEOUT = Duration.ofSeconds(5);

	private static final String USE_POSTGRES = "use the PostgreSQL store (eventy.store.type=postgres)";

	private final ProducerFactory<String, byte[]> producerFactory;

	private final KafkaTemplate<String, byte[]> template;

	private final KafkaTopics topics;

	private final RecordFactory recordFactory;

	private final KafkaRecordMapper mapper;

	private volatile @Nullable KafkaRouting routing;

	/**
	 * Create a store.
	 * @param producerFactory a transactional producer factory, such as one from
	 * {@link #producerFactory(Map, String)}
	 * @param topics where records go
	 * @param recordFactory builds records from payloads
	 * @param serializer writes records as the topic's values
	 * @throws IllegalArgumentException if the producer factory is not transactional
	 */
	public KafkaEventStore(ProducerFactory<String, byte[]> producerFactory, KafkaTopics topics,
			RecordFactory recordFactory, RecordSerializer serializer) {
		this.producerFactory = Objects.requireNonNull(producerFactory, "producerFactory");
		if (!producerFactory.transactionCapable()) {
			throw new IllegalArgumentException("The Kafka event store needs a transactional producer factory (one "
					+ "with a transaction id prefix) for atomic appends and EXACTLY_ONCE handlers");
		}
		this.topics = Objects.requireNonNull(topics, "topics");
		this.recordFactory = Objects.requireNonNull(recordFactory, "recordFactory");
		this.mapper = new KafkaRecordMapper(serializer, recordFactory.converter());
		this.template = new KafkaTemplate<>(producerFactory);
		this.template.setAllowNonTransactional(true);
	}

	/**
	 * Create the producer factory the store needs from Kafka client properties (such as
	 * Spring Boot's {@code spring.kafka.producer.*}), with Eventy's overrides: string
	 * keys, byte array values, {@code acks=all}, idempotence, {@code linger.ms=0} so a
	 * synchronous append never waits for a batch to fill, and at most 5 requests in
	 * flight as idempotence requires.
	 * <p>
	 * Its transactional ids are {@code <transactionIdPrefix><n>}, and the process reuses
	 * them: a new producer takes the lowest {@code n} no open producer holds, so the ids
	 * run from {@code 0} to the most producers open at once (the threads appending in
	 * transactions at the same time, plus one per {@code EXACTLY_ONCE} consumer). The id
	 * of a producer closed after a failure is fenced at once, in the background, before
	 * it is used again, so that the broker aborts the transaction the failed producer may
	 * have left open.
	 * @param properties the Kafka producer properties, with bootstrap servers
	 * @param transactionIdPrefix the prefix of transactional ids, unique to each instance
	 * of the application in the Kafka cluster (ideally the same across its restarts)
	 * @return a new transactional producer factory
	 */
	public static DefaultKafkaProducerFactory<String, byte[]> producerFactory(Map<String, ?> properties,
			String transactionIdPrefix) {
		Map<String, Object> configs = new HashMap<>(properties);
		configs.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		configs.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
		configs.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
		configs.put(ProducerConfig.ACKS_CONFIG, "all");
		configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		configs.put(ProducerConfig.LINGER_MS_CONFIG, 0);
		Object inFlight = configs.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
		if (inFlight == null || Integer.parseInt(inFlight.toString()) > 5) {
			configs.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
		}
		ReusedTransactionIdSuffixes suffixes = new ReusedTransactionIdSuffixes(
				(transactionalId) -> fence(configs, transactionalId));
		DefaultKafkaProducerFactory<String, byte[]> factory = new DefaultKafkaProducerFactory<>(configs,
				new StringSerializer(), new ByteArraySerializer()) {

			@Override
			public void destroy() {
				// producers closed with their factory abort their own transactions
				suffixes.setDestroying(true);
				try {
					super.destroy();
				}
				finally {
					suffixes.setDestroying(false);
				}
			}

		};
		factory.setTransactionIdPrefix(transactionIdPrefix);
		factory.setTransactionIdSuffixStrategy(suffixes);
		// names the producer in its metrics (tag spring.id)
		factory.setBeanName("eventyProducerFactory");
		return factory;
	}

	/**
	 * Fence a transactional id as a new producer with it does: the broker aborts the
	 * transaction an earlier producer with the id left open.
	 */
	private static void fence(Map<String, Object> configs, String transactionalId) {
		Map<String, Object> fencing = new HashMap<>(configs);
		fencing.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
		fencing.put(ProducerConfig.CLIENT_ID_CONFIG, "eventy-fencing-" + transactionalId);
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(fencing, new StringSerializer(),
				new ByteArraySerializer())) {
			producer.initTransactions();
		}
	}

	@Override
	public AppendResult append(StreamId stream, ExpectedVersion expected, List<?> payloads) {
		Objects.requireNonNull(stream, "stream");
		Objects.requireNonNull(expected, "expected");
		Objects.requireNonNull(payloads, "payloads");
		if (!expected.isAny()) {
			throw new UnsupportedStoreOperationException("Kafka cannot append to stream " + stream
					+ " at expected version " + expected + ": Kafka keeps no stream versions to check. Append with "
					+ "ExpectedVersion.any(), or " + USE_POSTGRES + " for optimistic concurrency");
		}
		if (payloads.isEmpty()) {
			throw new IllegalArgumentException("Append to stream " + stream + " needs at least one payload");
		}
		String key = stream.partitionKey();
		List<EventyRecord> records = payloads.stream()
			.map((payload) -> this.recordFactory.create(payload, key))
			.toList();
		List<StoredRecord> stored = send(records, key, stream);
		return new AppendResult(0, stored);
	}

	/**
	 * Return {@code false}: Kafka neither reads a stream back by version nor checks an
	 * expected version.
	 */
	@Override
	public boolean supportsStreamVersions() {
		return false;
	}

	@Override
	public List<StoredRecord> readStream(StreamId stream, long fromVersion) {
		Objects.requireNonNull(stream, "stream");
		if (fromVersion < 1) {
			throw new IllegalArgumentException("fromVersion must be at least 1, was " + fromVersion);
		}
		throw new UnsupportedStoreOperationException("Kafka cannot read stream " + stream
				+ " by version: it keeps no stream versions and a stream shares its partition with others. "
				+ "Handle the records with an @EventHandler, or " + USE_POSTGRES);
	}

	@Override
	public List<StoredRecord> readCategory(String streamType, long fromPosition, int limit) {
		Objects.requireNonNull(streamType, "streamType");
		checkRead(fromPosition, limit);
		throw new UnsupportedStoreOperationException("Kafka cannot read stream type '" + streamType
				+ "' in global position order: it has no global position, only an offset per topic partition. "
				+ "Handle the records with an @EventHandler, or " + USE_POSTGRES);
	}

	@Override
	public List<StoredRecord> readAll(long fromPosition, int limit) {
		checkRead(fromPosition, limit);
		throw new UnsupportedStoreOperationException("Kafka cannot read every record in global position order: "
				+ "it has no global position, only an offset per topic partition. "
				+ "Handle the records with an @EventHandler, or " + USE_POSTGRES);
	}

	@Override
	public StoredRecord publish(Object payload) {
		EventyRecord record = this.recordFactory.create(payload, null);
		return send(List.of(record), record.partitionKey(), null).get(0);
	}

	@Override
	public StoredRecord publish(String qualifiedName, Map<String, ?> data) {
		EventyRecord record = this.recordFactory.create(qualifiedName, data, null);
		return send(List.of(record), record.partitionKey(), null).get(0);
	}

	/**
	 * Fence the transactions that a previous run of this instance left open: every
	 * ongoing transaction whose transactional id is this store's prefix followed by a
	 * number. The broker aborts them at once, so that {@code read_committed} readers of
	 * their partitions (every subscription) do not wait for the broker's transaction
	 * timeout after a crash. Call it before the store is used, and only with a prefix
	 * that is unique to this instance and the same across its restarts (such as the pod
	 * name of a Kubernetes StatefulSet): with a prefix shared by instances that run at
	 * the same time, it aborts their transactions.
	 * <p>
	 * A broker that does not answer in time, or refuses, is logged as a warning: the ids
	 * are then fenced when this process's producers first use them.
	 * @param timeout how long to wait for the broker
	 * @return the transactional ids fenced, possibly none
	 */
	public List<String> fenceAbandonedTransactions(Duration timeout) {
		Objects.requireNonNull(timeout, "timeout");
		String prefix = Objects.requireNonNull(this.producerFactory.getTransactionIdPrefix(), "transactionIdPrefix");
		Map<String, Object> properties = new HashMap<>();
		this.producerFactory.getConfigurationProperties().forEach((name, value) -> {
			if (AdminClientConfig.configNames().contains(name)) {
				properties.put(name, value);
			}
		});
		properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
		properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
				(int) Math.min(timeout.toMillis(), Integer.MAX_VALUE));
		Admin admin = Admin.create(properties);
		boolean failed = true;
		try {
			List<String> abandoned = admin
				.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING))
					.timeoutMs((int) timeout.toMillis()))
				.all()
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS)
				.stream()
				.map(TransactionListing::transactionalId)
				.filter((id) -> isOwnTransactionalId(prefix, id))
				.sorted()
				.toList();
			if (!abandoned.isEmpty()) {
				admin.fenceProducers(abandoned, new FenceProducersOptions().timeoutMs((int) timeout.toMillis()))
					.all()
					.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
				logger.info("Fenced {} Kafka transaction(s) a previous run of this instance left open: {}",
						abandoned.size(), abandoned);
			}
			failed = false;
			return abandoned;
		}
		catch (ExecutionException | TimeoutException ex) {
			Throwable cause = (ex instanceof ExecutionException && ex.getCause() != null) ? ex.getCause() : ex;
			logger.warn("Could not fence the Kafka transactions with ids {}<n> that a previous run of this instance "
					+ "may have left open ({}); records after them stay invisible to read_committed readers until "
					+ "this instance's producers reuse the ids or the broker's transaction timeout aborts them", prefix,
					(cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getName());
			return List.of();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return List.of();
		}
		finally {
			admin.close(failed ? Duration.ZERO : ADMIN_CLOSE_TIMEOUT);
		}
	}

	private static boolean isOwnTransactionalId(String prefix, String transactionalId) {
		if (!transactionalId.startsWith(prefix) || transactionalId.length() == prefix.length()) {
			return false;
		}
		return transactionalId.substring(prefix.length()).chars().allMatch((c) -> c >= '0' && c <= '9');
	}

	/**
	 * Close the producers; the store opens new ones if used again.
	 */
	@Override
	public void close() {
		this.producerFactory.reset();
	}

	/**
	 * Return the topics.
	 * @return the topics
	 */
	public KafkaTopics topics() {
		return this.topics;
	}

	/**
	 * Route records as Python eventy 3.x does: a request to the requests topic of the
	 * service that owns its namespace, events and responses to this service's own topics.
	 * Without routing, every record goes to this service's topic of its kind.
	 * @param routing the routing, whose own topics should be {@link #topics()}
	 */
	public void setRouting(KafkaRouting routing) {
		this.routing = Objects.requireNonNull(routing, "routing");
	}

	/**
	 * Return the routing.
	 * @return the routing, or {@code null} when every record goes to this service's
	 * topics
	 */
	public @Nullable KafkaRouting routing() {
		return this.routing;
	}

	ProducerFactory<String, byte[]> producerFactoryInUse() {
		return this.producerFactory;
	}

	KafkaTemplate<String, byte[]> template() {
		return this.template;
	}

	KafkaRecordMapper mapper() {
		return this.mapper;
	}

	RecordFactory recordFactory() {
		return this.recordFactory;
	}

	private static void checkRead(long fromPosition, int limit) {
		if (fromPosition < 0) {
			throw new IllegalArgumentException("fromPosition must not be negative, was " + fromPosition);
		}
		if (limit < 1) {
			throw new IllegalArgumentException("limit must be at least 1, was " + limit);
		}
	}

	private List<StoredRecord> send(List<EventyRecord> records, @Nullable String key, @Nullable StreamId stream) {
		EventyContext context = EventyContextHolder.current();
		KafkaRouting routing = this.routing;
		List<ProducerRecord<String, byte[]>> outgoing = records.stream()
			.map((record) -> this.mapper.toProducerRecord(
					(routing != null) ? routing.topicFor(record) : this.topics.topicFor(record.kind()), key, record,
					stream, context))
			.toList();
		List<CompletableFuture<SendResult<String, byte[]>>> futures;
		if (outgoing.size() == 1 || this.template.inTransaction()) {
			futures = sendAll(this.template, outgoing);
		}
		else {
			futures = this.template.executeInTransaction((operations) -> sendAll(operations, outgoing));
		}
		List<StoredRecord> stored = new ArrayList<>(records.size());
		for (int i = 0; i < records.size(); i++) {
			long offset = await(futures.get(i), outgoing.get(i)).getRecordMetadata().offset();
			stored.add(this.mapper.stored(records.get(i), stream, offset, context));
		}
		return stored;
	}

	private static List<CompletableFuture<SendResult<String, byte[]>>> sendAll(
			KafkaOperations<String, byte[]> operations, List<ProducerRecord<String, byte[]>> outgoing) {
		return outgoing.stream().map(operations::send).toList();
	}

	private static SendResult<String, byte[]> await(CompletableFuture<SendResult<String, byte[]>> future,
			ProducerRecord<String, byte[]> record) {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new KafkaException("Interrupted while waiting for Kafka to acknowledge a record on topic "
					+ record.topic() + "; it may or may not be stored", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new KafkaException(
					"Kafka did not acknowledge a record on topic " + record.topic() + ": " + cause.getMessage(), cause);
		}
	}

}
