package io.eventy.autoconfigure.handler;

import io.eventy.store.postgres.PostgresSchemaInitializer;
import io.eventy.store.postgres.PostgresStoreSettings;
import io.eventy.testsupport.PostgresTestDatabase;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh database with Eventy's tables, created by {@link PostgresSchemaInitializer}
 * from the store's changelog.
 */
final class HandlersTestDatabase {

	private HandlersTestDatabase() {
	}

	static PGSimpleDataSource create() {
		PGSimpleDataSource dataSource = PostgresTestDatabase.newDatabase();
		new PostgresSchemaInitializer(dataSource, PostgresStoreSettings.defaults()).initialize();
		return dataSource;
	}

}
