package io.eventy.store.postgres;

import javax.sql.DataSource;

/**
 * Creates and upgrades the store's tables by running Eventy's own Liquibase changelog,
 * with its own changelog tables. (stub: being implemented)
 */
public final class PostgresSchemaInitializer {

	/**
	 * Create an initializer.
	 * @param dataSource the database
	 * @param settings schema and table prefix
	 */
	public PostgresSchemaInitializer(DataSource dataSource, PostgresStoreSettings settings) {
	}

	/**
	 * Bring the schema up to date.
	 */
	public void initialize() {
		throw new UnsupportedOperationException("not yet");
	}

}
