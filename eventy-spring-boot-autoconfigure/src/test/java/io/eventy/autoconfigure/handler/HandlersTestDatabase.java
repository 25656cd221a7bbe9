package io.eventy.autoconfigure.handler;

import java.sql.Connection;
import java.sql.Statement;

import io.eventy.testsupport.PostgresTestDatabase;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh database with the records table and the subscription tables of Eventy's
 * changelog.
 */
final class HandlersTestDatabase {

	private HandlersTestDatabase() {
	}

	static PGSimpleDataSource create() {
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

	static void insert(PGSimpleDataSource dataSource, String namespace, String name, String data) {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("INSERT INTO eventy_records (uuid, kind, namespace, name, protocol_version, version, "
					+ "source, correlation_id, recorded_at, context, data) VALUES (gen_random_uuid(), 'EVENT', '"
					+ namespace + "', '" + name + "', '1.0.0', '1.0.0', 'urn:test', 'trace-1', now(), '{}', '" + data
					+ "'); SELECT pg_notify('eventy_records', '')");
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
