package io.eventy.handler;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordFactory;
import io.eventy.store.AppendResult;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.postgres.PostgresDeadLetters;
import io.eventy.store.postgres.PostgresStoreSettings;
import io.eventy.store.postgres.PostgresSubscriptions;
import io.eventy.testsupport.PostgresTestDatabase;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A fresh database with the store's tables, application contexts that run handlers on it,
 * and a store that writes records with plain SQL as the PostgreSQL store does.
 */
final class PostgresHandlerFixture {

	static final PostgresStoreSettings SETTINGS = PostgresStoreSettings.defaults();

	static final String CHANNEL = "eventy_records";

	private PostgresHandlerFixture() {
	}

	/**
	 * Create a database with the records table and the subscription tables.
	 * @return its data source
	 */
	static PGSimpleDataSource database() {
		PGSimpleDataSource dataSource = PostgresTestDatabase.newDatabase();
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("""
					CREATE TABLE public.eventy_records (
						position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
						transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
						uuid uuid NOT NULL UNIQUE, stream_type text, stream_id text, stream_version bigint,
						kind text NOT NULL, namespace text NOT NULL, name text NOT NULL,
						protocol_version text NOT NULL, version text NOT NULL, source text NOT NULL,
						correlation_id text NOT NULL, partition_key text, request_id text, causation_id text,
						traceparent text, recorded_at timestamptz NOT NULL, context jsonb NOT NULL,
						data jsonb NOT NULL, destination text, request_uuid uuid, ok boolean,
						error_code integer, error_message text)""");
			statement.execute("CREATE INDEX ON public.eventy_records (transaction_id, position)");
			Database database = DatabaseFactory.getInstance()
				.findCorrectDatabaseImplementation(new JdbcConnection(connection));
			try (Liquibase liquibase = new Liquibase("io/eventy/store/postgres/changelog/002-subscriptions.xml",
					new ClassLoaderResourceAccessor(), database)) {
				liquibase.setChangeLogParameter("eventy.schema", "public");
				liquibase.setChangeLogParameter("eventy.prefix", "eventy_");
				liquibase.update(new Contexts(), new LabelExpression());
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not create the store's tables", ex);
		}
		return dataSource;
	}

	static SubscriptionOptions fastOptions() {
		return new SubscriptionOptions(100, Duration.ofMillis(200), StartPosition.EARLIEST,
				new RetryPolicy(3, Duration.ofMillis(10), 2.0, Duration.ofMillis(50)));
	}

	static ContextBuilder context(DataSource dataSource) {
		return new ContextBuilder(dataSource);
	}

	/**
	 * Builds an application context that runs handlers on a database.
	 */
	static final class ContextBuilder {

		private final DataSource dataSource;

		private SubscriptionOptions options = fastOptions();

		private final List<Runnable> registrations = new ArrayList<>();

		private final AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();

		ContextBuilder(DataSource dataSource) {
			this.dataSource = dataSource;
		}

		ContextBuilder options(SubscriptionOptions options) {
			this.options = options;
			return this;
		}

		<T> ContextBuilder bean(String name, Class<T> type, Supplier<T> supplier) {
			this.registrations.add(() -> this.context.registerBean(name, type, supplier));
			return this;
		}

		ContextBuilder bean(String name, Class<?> type) {
			this.registrations.add(() -> this.context.registerBean(name, type));
			return this;
		}

		AnnotationConfigApplicationContext start() {
			AnnotationConfigApplicationContext context = this.context;
			RecordFactory factory = HandlerTestContexts.recordFactory();
			context.register(Handlers.class);
			context.registerBean(DataSource.class, () -> this.dataSource);
			context.registerBean(RecordFactory.class, () -> factory);
			context.registerBean(TestStore.class, () -> new TestStore(this.dataSource, factory));
			context.registerBean(PlatformTransactionManager.class,
					() -> new DataSourceTransactionManager(this.dataSource));
			context.registerBean(PostgresSubscriptions.class,
					() -> new PostgresSubscriptions(this.dataSource, SETTINGS,
							context.getBean(HandlerEndpointRegistry.class), factory.converter(), this.options,
							context.getBean(PlatformTransactionManager.class), context));
			context.registerBean(PostgresDeadLetters.class,
					() -> new PostgresDeadLetters(this.dataSource, SETTINGS, factory.converter()));
			this.registrations.forEach(Runnable::run);
			context.refresh();
			return context;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableEventHandlers
	static class Handlers {

	}

	/**
	 * Writes records as the PostgreSQL store does: one row each, request and causation
	 * ids from the current context, one notification per transaction; joins the caller's
	 * transaction.
	 */
	static final class TestStore implements EventStore {

		private static final ObjectMapper objectMapper = new ObjectMapper();

		private final DataSource dataSource;

		private final RecordFactory factory;

		TestStore(DataSource dataSource, RecordFactory factory) {
			this.dataSource = dataSource;
			this.factory = factory;
		}

		@Override
		public AppendResult append(StreamId stream, ExpectedVersion expected, List<?> payloads) {
			Connection connection = DataSourceUtils.getConnection(this.dataSource);
			try {
				long version;
				try (PreparedStatement statement = connection
					.prepareStatement("SELECT coalesce(max(stream_version), 0) "
							+ "FROM eventy_records WHERE stream_type = ? AND stream_id = ?")) {
					statement.setString(1, stream.type());
					statement.setString(2, stream.id());
					try (ResultSet result = statement.executeQuery()) {
						result.next();
						version = result.getLong(1);
					}
				}
				List<StoredRecord> stored = new ArrayList<>();
				for (Object payload : payloads) {
					stored.add(
							insert(connection, this.factory.create(payload, stream.partitionKey()), stream, ++version));
				}
				notify(connection);
				return new AppendResult(version, stored);
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
			finally {
				DataSourceUtils.releaseConnection(connection, this.dataSource);
			}
		}

		@Override
		public StoredRecord publish(Object payload) {
			Connection connection = DataSourceUtils.getConnection(this.dataSource);
			try {
				StoredRecord stored = insert(connection, this.factory.create(payload, null), null, 0);
				notify(connection);
				return stored;
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
			finally {
				DataSourceUtils.releaseConnection(connection, this.dataSource);
			}
		}

		@Override
		public StoredRecord publish(String qualifiedName, Map<String, ?> data) {
			return publish(this.factory.create(qualifiedName, data, null));
		}

		@Override
		public List<StoredRecord> readStream(StreamId stream, long fromVersion) {
			throw new UnsupportedOperationException("not needed by these tests");
		}

		@Override
		public List<StoredRecord> readCategory(String streamType, long fromPosition, int limit) {
			throw new UnsupportedOperationException("not needed by these tests");
		}

		@Override
		public List<StoredRecord> readAll(long fromPosition, int limit) {
			throw new UnsupportedOperationException("not needed by these tests");
		}

		static StoredRecord insert(Connection connection, EventyRecord record, @Nullable StreamId stream, long version)
				throws SQLException {
			EventyContext context = EventyContextHolder.current();
			try (PreparedStatement statement = connection.prepareStatement("""
					INSERT INTO eventy_records (uuid, stream_type, stream_id, stream_version, kind, namespace, name,
						protocol_version, version, source, correlation_id, partition_key, request_id, causation_id,
						traceparent, recorded_at, context, data, destination, request_uuid, ok, error_code,
						error_message)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)
					RETURNING position""")) {
				int i = 1;
				statement.setObject(i++, record.uuid());
				statement.setString(i++, (stream != null) ? stream.type() : null);
				statement.setString(i++, (stream != null) ? stream.id() : null);
				statement.setObject(i++, (stream != null) ? version : null);
				statement.setString(i++, record.kind().name());
				statement.setString(i++, record.namespace());
				statement.setString(i++, record.name());
				statement.setString(i++, record.protocolVersion());
				statement.setString(i++, record.version());
				statement.setString(i++, record.source());
				statement.setString(i++, record.correlationId());
				statement.setString(i++, record.partitionKey());
				statement.setString(i++, (context != null) ? context.requestId() : null);
				statement.setString(i++, (context != null) ? context.causationId() : null);
				statement.setString(i++, (context != null) ? context.traceparent() : null);
				statement.setObject(i++, OffsetDateTime.ofInstant(record.date(), ZoneOffset.UTC));
				statement.setString(i++, objectMapper.writeValueAsString(record.context()));
				statement.setString(i++, record.data().toString());
				statement.setString(i++, record.destination());
				statement.setObject(i++, record.requestUuid());
				statement.setObject(i++, record.ok());
				statement.setObject(i++, record.errorCode());
				statement.setString(i, record.errorMessage());
				try (ResultSet result = statement.executeQuery()) {
					result.next();
					return new StoredRecord(record, stream, version, result.getLong(1),
							(context != null) ? context.requestId() : null,
							(context != null) ? context.causationId() : null, null,
							HandlerTestContexts.recordFactory().converter());
				}
			}
			catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
				throw new IllegalArgumentException(ex);
			}
		}

		static void notify(Connection connection) throws SQLException {
			try (Statement statement = connection.createStatement()) {
				statement.execute("SELECT pg_notify('" + CHANNEL + "', '')");
			}
		}

	}

}
