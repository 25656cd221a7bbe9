package io.eventy.benchmark;

import java.lang.reflect.InvocationTargetException;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import io.eventy.benchmark.AppendBenchmark.OrderPlaced;
import org.jspecify.annotations.Nullable;

/**
 * Another event store that {@link AppendBenchmark} measures against Eventy when it is on
 * the class path: Axon Framework's JDBC event store, whose code lives in
 * {@code src/benchmark/java} and compiles only under {@code -Pbenchmark}, so that the
 * build never sees Axon.
 */
interface AppendContender {

	/** The class of the Axon contender, in {@code src/benchmark/java}. */
	String AXON = "io.eventy.benchmark.AxonAppendContender";

	/**
	 * Return the contender's name as printed.
	 * @return the name
	 */
	String name();

	/**
	 * Create the contender's tables and fill them with as many events as Eventy's, in
	 * aggregates of ten, vacuumed and analyzed.
	 * @param events how many events
	 * @throws SQLException if the database fails
	 */
	void prefill(int events) throws SQLException;

	/**
	 * Append one event to an aggregate, expecting it to hold {@code sequenceNumber}
	 * events (the events are numbered from 0).
	 * @param aggregateId the aggregate
	 * @param sequenceNumber the new event's number
	 * @param payload the payload
	 * @throws Exception if the append fails
	 */
	void appendOne(String aggregateId, long sequenceNumber, OrderPlaced payload) throws Exception;

	/**
	 * Append events to a new aggregate in one transaction.
	 * @param aggregateId the aggregate
	 * @param payloads the payloads
	 * @throws Exception if the append fails
	 */
	void appendMany(String aggregateId, List<OrderPlaced> payloads) throws Exception;

	/**
	 * Create the Axon contender on a database, if it is on the class path.
	 * @param dataSource the database
	 * @return the contender, or {@code null} when run without {@code -Pbenchmark}
	 */
	static @Nullable AppendContender axon(DataSource dataSource) {
		try {
			return (AppendContender) Class.forName(AXON)
				.getDeclaredConstructor(DataSource.class)
				.newInstance(dataSource);
		}
		catch (ClassNotFoundException ex) {
			return null;
		}
		catch (InvocationTargetException ex) {
			throw new IllegalStateException("Could not create " + AXON, ex.getCause());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Could not create " + AXON, ex);
		}
	}

}
