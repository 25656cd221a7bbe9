package io.eventy.aggregate;

import java.util.List;
import java.util.Set;

import io.eventy.store.StreamId;

/**
 * How an aggregate starts, applies a stored payload, and gives the payloads a command
 * recorded in it. Any object can be an aggregate: a Java record whose apply methods
 * return a new record, or a mutable class whose apply methods change it. Most
 * applications use {@link #of(Class)}, which finds {@link Apply} methods; implement this
 * interface for anything else.
 * <p>
 * Records of the aggregate's stream whose payload type is not one of
 * {@link #payloadTypes()} are skipped when it is loaded.
 *
 * @param <T> the aggregate's class
 */
public interface AggregateType<T> {

	/**
	 * Return the aggregate's name, which identifies its snapshots.
	 * @return the name, by default the class's simple name
	 */
	String name();

	/**
	 * Return the aggregate's class, which its snapshots are read as.
	 * @return the class
	 */
	Class<T> stateType();

	/**
	 * Return the payload types the aggregate applies.
	 * @return the types, each a record type of the application
	 */
	Set<Class<?>> payloadTypes();

	/**
	 * Create the state of an aggregate whose stream has no record yet.
	 * @param stream the aggregate's stream
	 * @return the initial state
	 */
	T create(StreamId stream);

	/**
	 * Apply a payload to the aggregate.
	 * @param aggregate the state before
	 * @param payload the payload, an instance of one of {@link #payloadTypes()}
	 * @return the state after: a new object, or {@code aggregate} changed
	 */
	T apply(T aggregate, Object payload);

	/**
	 * Take the payloads a command recorded in the aggregate rather than returned
	 * ({@link PendingRecords}).
	 * @param aggregate the aggregate after the command
	 * @return the payloads, possibly empty; by default none
	 */
	default List<?> takePending(T aggregate) {
		return List.of();
	}

	/**
	 * Return when snapshots of the aggregate are taken.
	 * @return the policy, by default {@link Snapshots#never()}
	 */
	default Snapshots snapshots() {
		return Snapshots.never();
	}

	/**
	 * Return this type with snapshots taken as {@code snapshots} says.
	 * @param snapshots the policy, for example {@code Snapshots.every(100)}
	 * @return the type
	 */
	default AggregateType<T> withSnapshots(Snapshots snapshots) {
		return new SnapshottingAggregateType<>(this, snapshots);
	}

	/**
	 * Return the type of an aggregate class described by annotations: its {@link Apply}
	 * methods, and a public or package-private constructor that takes the
	 * {@link StreamId} or none (the first found, in that order) for the initial state. A
	 * class that implements {@link PendingRecords} gives its pending payloads.
	 * @param <T> the aggregate's class
	 * @param type the class
	 * @return its aggregate type
	 * @throws IllegalArgumentException if the class has no apply method, an apply method
	 * does not take exactly one parameter or returns neither {@code void} nor the class,
	 * two apply methods take the same payload type, or it has no suitable constructor
	 */
	static <T> AggregateType<T> of(Class<T> type) {
		return AnnotatedAggregateType.of(type);
	}

}
