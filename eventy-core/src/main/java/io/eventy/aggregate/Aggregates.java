package io.eventy.aggregate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.context.EventyContextHolder;
import io.eventy.record.PayloadConverter;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.store.AppendResult;
import io.eventy.store.ConcurrencyException;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.UnsupportedStoreOperationException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Loads aggregates from their streams and appends what their commands decide, on the
 * PostgreSQL store.
 * <ul>
 * <li>{@link #load(StreamId, AggregateType)} reads the stream, from the newest snapshot
 * of the aggregate type's schema version when it has one, and applies each record whose
 * payload type the aggregate applies (the others are skipped).</li>
 * <li>{@link #save(Aggregate, List)} applies new payloads and appends them with the
 * version the aggregate was loaded at ({@link ExpectedVersion#exactly(long)}, or
 * {@link ExpectedVersion#noStream()} for a new one): another writer in between makes it
 * throw {@link ConcurrencyException} and appends nothing.</li>
 * <li>{@link #update(StreamId, AggregateType, Function)} loads, runs a command, saves,
 * and does it all again when another writer came first, up to a number of attempts.</li>
 * </ul>
 * Appends join the caller's Spring transaction, as {@link EventStore#append} does: the
 * aggregate's records commit or roll back with the caller's own rows. Snapshots are
 * written after the commit, by a thread of their own: never in the appending transaction,
 * never delaying it, never failing it. A snapshot that cannot be read (its JSON no longer
 * fits the class, it was damaged) is skipped with a WARN and replaced.
 * <p>
 * The Kafka store cannot read a stream by version nor append with an expected version:
 * aggregates need the PostgreSQL store.
 */
public final class Aggregates implements AutoCloseable {

	/** How often {@link #update} tries a command by default. */
	public static final int DEFAULT_MAX_ATTEMPTS = 10;

	/** Snapshots waiting to be written beyond this number are not taken. */
	private static final int MAX_PENDING_SNAPSHOTS = 1000;

	private static final Logger logger = LoggerFactory.getLogger(Aggregates.class);

	private static final ObjectMapper JSON = new ObjectMapper();

	private final EventStore store;

	private final RecordTypeRegistry registry;

	private final RecordFactory recordFactory;

	private final PayloadConverter converter;

	private final @Nullable SnapshotStore snapshots;

	private final int maxAttempts;

	private final ThreadPoolExecutor snapshotWriter;

	/**
	 * Create aggregates on a store.
	 * @param store the store, PostgreSQL
	 * @param recordFactory the application's record types and payload conversion, which
	 * snapshots use too
	 * @param snapshots where snapshots are kept, {@code null} for none
	 * @param maxAttempts how often {@link #update} tries a command, at least 1
	 * @throws UnsupportedStoreOperationException if the store does not
	 * {@link EventStore#supportsStreamVersions() keep streams by version}, as the Kafka
	 * store
	 */
	public Aggregates(EventStore store, RecordFactory recordFactory, @Nullable SnapshotStore snapshots,
			int maxAttempts) {
		this.store = Objects.requireNonNull(store, "store");
		if (!store.supportsStreamVersions()) {
			throw new UnsupportedStoreOperationException(
					"Aggregates need the PostgreSQL store: the " + store.getClass().getSimpleName() + " "
							+ "cannot read a stream by version nor append with an expected version. "
							+ "Set 'eventy.store.type=postgres' to use aggregates.");
		}
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("An update takes 1 or more attempts, not " + maxAttempts);
		}
		this.registry = recordFactory.registry();
		this.recordFactory = recordFactory;
		this.converter = recordFactory.converter();
		this.snapshots = snapshots;
		this.maxAttempts = maxAttempts;
		this.snapshotWriter = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(MAX_PENDING_SNAPSHOTS), (task) -> {
					Thread thread = new Thread(task, "eventy-snapshots");
					thread.setDaemon(true);
					return thread;
				});
		this.snapshotWriter.allowCoreThreadTimeOut(true);
	}

	/**
	 * Load an aggregate: its state after every record of its stream.
	 * @param <T> the aggregate's class
	 * @param stream the aggregate's stream
	 * @param type the aggregate's type
	 * @return the aggregate, at version {@code 0} with its initial state when the stream
	 * has no record
	 */
	public <T> Aggregate<T> load(StreamId stream, AggregateType<T> type) {
		Objects.requireNonNull(stream, "stream");
		Objects.requireNonNull(type, "type");
		Snapshots policy = type.snapshots();
		Aggregate<T> start = fromSnapshot(stream, type, policy);
		T state = (start != null) ? start.state() : type.create(stream);
		if (state == null) {
			throw new IllegalStateException(type + " created a null initial state");
		}
		long version = (start != null) ? start.version() : 0;
		Map<String, Class<?>> applied = payloadTypesByName(type);
		for (StoredRecord record : this.store.readStream(stream, version + 1)) {
			Class<?> payloadType = applied.get(record.record().qualifiedName());
			if (payloadType != null) {
				state = apply(type, state, record.payload(payloadType));
			}
			version = record.streamVersion();
		}
		Aggregate<T> loaded = new Aggregate<>(type, stream, version, state);
		if (start == null && policy.enabled() && version >= policy.every()) {
			// no snapshot to start from, or none that could be read: take one now
			takeSnapshot(loaded);
		}
		return loaded;
	}

	/**
	 * Append the payloads the aggregate {@linkplain AggregateType#takePending recorded}.
	 * @param <T> the aggregate's class
	 * @param aggregate the aggregate, as loaded
	 * @return the aggregate after them
	 * @throws ConcurrencyException if another writer appended to the stream after the
	 * aggregate was loaded; nothing is appended then
	 */
	public <T> Aggregate<T> save(Aggregate<T> aggregate) {
		return save(aggregate, aggregate.type().takePending(aggregate.state()));
	}

	/**
	 * Apply payloads to an aggregate and append them after the version it was loaded at.
	 * A payload of a type the aggregate does not apply is appended all the same.
	 * @param <T> the aggregate's class
	 * @param aggregate the aggregate, as loaded
	 * @param payloads the new payloads, in order; none appends nothing
	 * @return the aggregate after them
	 * @throws ConcurrencyException if another writer appended to the stream after the
	 * aggregate was loaded; nothing is appended then
	 */
	public <T> Aggregate<T> save(Aggregate<T> aggregate, List<?> payloads) {
		Objects.requireNonNull(aggregate, "aggregate");
		Objects.requireNonNull(payloads, "payloads");
		if (payloads.isEmpty()) {
			return aggregate;
		}
		AggregateType<T> type = aggregate.type();
		T state = aggregate.state();
		for (Object payload : payloads) {
			Objects.requireNonNull(payload, "A payload to save must not be null");
			if (type.payloadTypes().contains(payload.getClass())) {
				state = apply(type, state, payload);
			}
		}
		ExpectedVersion expected = aggregate.isNew() ? ExpectedVersion.noStream()
				: ExpectedVersion.exactly(aggregate.version());
		AppendResult result = this.store.append(aggregate.stream(), expected, payloads);
		Aggregate<T> saved = new Aggregate<>(type, aggregate.stream(), result.streamVersion(), state);
		if (type.snapshots().due(aggregate.version(), saved.version())) {
			takeSnapshot(saved);
		}
		return saved;
	}

	/**
	 * Load an aggregate, run a command on it and save what it decided; when another
	 * writer appended to the stream in between, load it again and run the command again,
	 * up to the configured number of attempts. The command returns its new payloads, or
	 * records them in the aggregate ({@link PendingRecords}); both are appended, returned
	 * ones first. A command that decides nothing appends nothing. It may run more than
	 * once: it should only decide, from the aggregate's state, and leave side effects to
	 * handlers of the records.
	 * @param <T> the aggregate's class
	 * @param stream the aggregate's stream
	 * @param type the aggregate's type
	 * @param command decides the new payloads from the aggregate's state; an exception it
	 * throws is thrown to the caller, nothing appended
	 * @return the aggregate after the command
	 * @throws ConcurrencyException if every attempt lost to another writer
	 */
	public <T> Aggregate<T> update(StreamId stream, AggregateType<T> type,
			Function<? super T, ? extends List<?>> command) {
		Objects.requireNonNull(command, "command");
		for (int attempt = 1;; attempt++) {
			Aggregate<T> aggregate = load(stream, type);
			List<?> decided = command.apply(aggregate.state());
			List<Object> payloads = new ArrayList<>((decided != null) ? decided : List.of());
			payloads.addAll(type.takePending(aggregate.state()));
			try {
				return save(aggregate, payloads);
			}
			catch (ConcurrencyException ex) {
				if (attempt >= this.maxAttempts) {
					throw ex;
				}
				logger.debug("Another writer appended to {} first; trying the command again ({} of {})", stream,
						attempt + 1, this.maxAttempts);
			}
		}
	}

	/**
	 * Stop the snapshot writer after the snapshots already taken.
	 */
	@Override
	public void close() {
		this.snapshotWriter.shutdown();
		try {
			this.snapshotWriter.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private <T> @Nullable Aggregate<T> fromSnapshot(StreamId stream, AggregateType<T> type, Snapshots policy) {
		if (!policy.enabled() || this.snapshots == null) {
			return null;
		}
		Snapshot snapshot;
		try {
			snapshot = this.snapshots.find(stream, type.name(), policy.schemaVersion());
		}
		catch (RuntimeException ex) {
			logger.warn("Eventy could not read the snapshot of {} {}; replaying its stream instead", type.name(),
					stream, ex);
			return null;
		}
		if (snapshot == null) {
			return null;
		}
		try {
			JsonNode state = JSON.readTree(snapshot.state());
			return new Aggregate<>(type, stream, snapshot.version(), this.converter.fromData(state, type.stateType()));
		}
		catch (JacksonException | RuntimeException ex) {
			logger.warn("Eventy ignores the {}: it cannot be read as {} ({}); replaying the stream instead", snapshot,
					type.stateType().getName(), ex.getMessage());
			return null;
		}
	}

	private <T> void takeSnapshot(Aggregate<T> aggregate) {
		SnapshotStore target = this.snapshots;
		if (target == null) {
			return;
		}
		AggregateType<T> type = aggregate.type();
		Snapshot snapshot;
		try {
			// the state as it is now: a mutable aggregate may change after this call
			String state = this.converter.toData(aggregate.state()).toString();
			snapshot = new Snapshot(aggregate.stream(), type.name(), type.snapshots().schemaVersion(),
					aggregate.version(), state);
		}
		catch (RuntimeException ex) {
			logger.warn("Eventy takes no snapshot of {} {}: its state cannot be written as a JSON object ({})",
					type.name(), aggregate.stream(), ex.getMessage());
			return;
		}
		Runnable write = EventyContextHolder.wrap(() -> write(target, snapshot));
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					submit(write, snapshot);
				}
			});
		}
		else {
			submit(write, snapshot);
		}
	}

	private void submit(Runnable write, Snapshot snapshot) {
		try {
			this.snapshotWriter.execute(write);
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Eventy skips the {}: {} snapshots wait to be written already, or Eventy is closing", snapshot,
					MAX_PENDING_SNAPSHOTS);
		}
	}

	private static void write(SnapshotStore target, Snapshot snapshot) {
		try {
			target.save(snapshot);
		}
		catch (RuntimeException ex) {
			logger.warn("Eventy could not write the {}; loading replays the stream until the next one", snapshot, ex);
		}
	}

	private Map<String, Class<?>> payloadTypesByName(AggregateType<?> type) {
		Map<String, Class<?>> byName = new HashMap<>();
		for (Class<?> payloadType : type.payloadTypes()) {
			// with the former names upcasters rename into the payload's type
			for (String name : this.recordFactory
				.namesReadAs(this.registry.descriptorFor(payloadType).qualifiedName())) {
				byName.putIfAbsent(name, payloadType);
			}
		}
		return byName;
	}

	private static <T> T apply(AggregateType<T> type, T state, Object payload) {
		T next = type.apply(state, payload);
		if (next == null) {
			throw new IllegalStateException(type + " returned a null state for " + payload.getClass().getName());
		}
		return next;
	}

}
