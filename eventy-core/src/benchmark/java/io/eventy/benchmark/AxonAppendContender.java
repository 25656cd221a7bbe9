package io.eventy.benchmark;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.eventy.benchmark.AppendBenchmark.OrderPlaced;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * Axon Framework 4.13's {@link JdbcEventStorageEngine} on the same PostgreSQL, as a
 * Spring user would pick it instead of Eventy: its own table ({@code DomainEventEntry},
 * payloads as {@code bytea}, a unique key on aggregate and sequence number that is its
 * version check), payloads through its {@link JacksonSerializer}. At its cheapest:
 * connections in auto-commit, so that a single event is one {@code INSERT} and one
 * commit, as Eventy's single-record append is; several events are one JDBC batch.
 */
final class AxonAppendContender implements AppendContender {

	private static final String AGGREGATE_TYPE = "Order";

	private final DataSource dataSource;

	private final JdbcEventStorageEngine engine;

	AxonAppendContender(DataSource dataSource) {
		this.dataSource = dataSource;
		JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
		this.engine = JdbcEventStorageEngine.builder()
			.connectionProvider(new DataSourceConnectionProvider(dataSource))
			.transactionManager(NoTransactionManager.INSTANCE)
			.eventSerializer(serializer)
			.snapshotSerializer(serializer)
			.build();
	}

	@Override
	public String name() {
		return "Axon append";
	}

	@Override
	public void prefill(int events) throws SQLException {
		this.engine.createSchema(PostgresEventTableFactory.INSTANCE);
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("INSERT INTO domainevententry (aggregateidentifier, sequencenumber, type, "
					+ "eventidentifier, metadata, payload, payloadrevision, payloadtype, timestamp) "
					+ "SELECT 'prefilled-' || (n / 10), n % 10, 'Order', gen_random_uuid()::text, "
					+ "convert_to('{}', 'UTF8'), convert_to(jsonb_build_object('orderId', 'order-' || n, "
					+ "'customerId', 'customer-' || (n % 997), 'amountCents', 1000 + n, 'currency', 'EUR')::text, "
					+ "'UTF8'), NULL, '" + OrderPlaced.class.getName() + "', now()::text " + "FROM generate_series(0, "
					+ (events - 1) + ") AS n");
			statement.execute("VACUUM ANALYZE domainevententry");
		}
	}

	@Override
	public void appendOne(String aggregateId, long sequenceNumber, OrderPlaced payload) {
		this.engine.appendEvents(new GenericDomainEventMessage<>(AGGREGATE_TYPE, aggregateId, sequenceNumber, payload));
	}

	@Override
	public void appendMany(String aggregateId, List<OrderPlaced> payloads) {
		List<DomainEventMessage<?>> events = new ArrayList<>(payloads.size());
		for (int i = 0; i < payloads.size(); i++) {
			events.add(new GenericDomainEventMessage<>(AGGREGATE_TYPE, aggregateId, i, payloads.get(i)));
		}
		this.engine.appendEvents(events);
	}

}
