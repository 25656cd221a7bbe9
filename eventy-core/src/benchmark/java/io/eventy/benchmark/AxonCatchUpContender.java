package io.eventy.benchmark;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.eventy.benchmark.HandlerBenchmark.OrderPlaced;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.PostgresTokenTableFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * Axon Framework 4.13's pooled streaming processor catching up on its
 * {@link JdbcEventStorageEngine} (through an {@link EmbeddedEventStore}, as an Axon
 * application reads its events), with its {@link JdbcTokenStore} on the same PostgreSQL:
 * one segment, batches of the given size, a no-op handler whose parameter makes Axon
 * deserialize each payload with its {@link JacksonSerializer}. At its cheapest, as in
 * {@link AxonAppendContender}: connections in auto-commit ({@link NoTransactionManager}),
 * so each batch's token is one {@code UPDATE} committed on its own, as Eventy moves an
 * {@code AT_LEAST_ONCE} checkpoint.
 */
final class AxonCatchUpContender implements HandlerBenchmark.CatchUpContender {

	private final DataSource dataSource;

	private final JacksonSerializer serializer = JacksonSerializer.defaultSerializer();

	private final JdbcEventStorageEngine engine;

	private final JdbcTokenStore tokenStore;

	private int stored;

	AxonCatchUpContender(DataSource dataSource) {
		this.dataSource = dataSource;
		DataSourceConnectionProvider connections = new DataSourceConnectionProvider(dataSource);
		this.engine = JdbcEventStorageEngine.builder()
			.connectionProvider(connections)
			.transactionManager(NoTransactionManager.INSTANCE)
			.eventSerializer(this.serializer)
			.snapshotSerializer(this.serializer)
			.build();
		this.tokenStore = JdbcTokenStore.builder().connectionProvider(connections).serializer(this.serializer).build();
	}

	@Override
	public String name() {
		return "Axon pooled streaming processor";
	}

	@Override
	public void fill(int events) throws SQLException {
		if (this.stored == 0) {
			this.engine.createSchema(PostgresEventTableFactory.INSTANCE);
			this.tokenStore.createSchema(PostgresTokenTableFactory.INSTANCE);
		}
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			// the same payloads as Eventy's records, in aggregates of the same streams
			for (int from = this.stored + 1; from <= events; from += 10_000) {
				statement.execute("INSERT INTO domainevententry (aggregateidentifier, sequencenumber, type, "
						+ "eventidentifier, metadata, payload, payloadrevision, payloadtype, timestamp) "
						+ "SELECT 'order-' || (i % 1000), i / 1000, 'Order', gen_random_uuid()::text, "
						+ "convert_to('{}', 'UTF8'), convert_to(jsonb_build_object('orderId', 'order-' || i, "
						+ "'amountCents', i, 'sentNanos', 0)::text, 'UTF8'), NULL, '" + OrderPlaced.class.getName()
						+ "', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') "
						+ "FROM generate_series(" + from + ", " + Math.min(from + 9_999, events) + ") i");
			}
			statement.execute("VACUUM ANALYZE domainevententry");
			try (ResultSet count = statement.executeQuery("SELECT count(*) FROM domainevententry")) {
				count.next();
				if (count.getLong(1) != events) {
					throw new IllegalStateException("Axon holds " + count.getLong(1) + " events, expected " + events);
				}
			}
		}
		this.stored = events;
	}

	@Override
	public double catchUp(String name, int batchSize) throws Exception {
		Counter counter = new Counter(this.stored);
		EmbeddedEventStore eventStore = EmbeddedEventStore.builder().storageEngine(this.engine).build();
		ScheduledExecutorService coordinator = Executors.newSingleThreadScheduledExecutor();
		ScheduledExecutorService workers = Executors.newScheduledThreadPool(1);
		PooledStreamingEventProcessor processor = PooledStreamingEventProcessor.builder()
			.name(name)
			.eventHandlerInvoker(SimpleEventHandlerInvoker.builder().eventHandlers(counter).build())
			.messageSource(eventStore)
			.tokenStore(this.tokenStore)
			.transactionManager(NoTransactionManager.INSTANCE)
			.coordinatorExecutor(coordinator)
			.workerExecutor(workers)
			.initialSegmentCount(1)
			.batchSize(batchSize)
			.initialToken(StreamableMessageSource::createTailToken)
			.build();
		long start = System.nanoTime();
		try {
			processor.start();
			long end = counter.done.get(10, TimeUnit.MINUTES);
			if (counter.handled.get() != this.stored) {
				throw new IllegalStateException(
						"Axon handled " + counter.handled.get() + " events, expected " + this.stored);
			}
			return this.stored / ((end - start) / 1e9);
		}
		finally {
			processor.shutDown();
			eventStore.shutDown();
			shutDown(coordinator);
			shutDown(workers);
		}
	}

	private static void shutDown(ExecutorService executor) throws InterruptedException {
		executor.shutdownNow();
		executor.awaitTermination(10, TimeUnit.SECONDS);
	}

	/**
	 * The no-op handler: its parameter makes Axon deserialize the payload.
	 */
	static final class Counter {

		final AtomicInteger handled = new AtomicInteger();

		final CompletableFuture<Long> done = new CompletableFuture<>();

		private final int expected;

		Counter(int expected) {
			this.expected = expected;
		}

		@EventHandler
		void on(OrderPlaced event) {
			if (this.handled.incrementAndGet() == this.expected) {
				this.done.complete(System.nanoTime());
			}
		}

	}

}
