package io.eventy.store.postgres;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import liquibase.Scope;
import liquibase.UpdateSummaryEnum;
import liquibase.analytics.configuration.AnalyticsArgs;
import liquibase.changelog.ChangeLogParameters;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.UpdateSqlCommandStep;
import liquibase.command.core.helpers.DatabaseChangelogCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.OfflineConnection;
import liquibase.database.jvm.JdbcConnection;
import liquibase.lockservice.LockServiceFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.ResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the store's tables by running Eventy's own Liquibase changelog
 * ({@value #CHANGELOG}), with its own changelog tables {@code <prefix>changelog} and
 * {@code <prefix>changelog_lock} in the store's schema. It never touches the
 * application's own Liquibase or Flyway migrations, and creates the schema when it is
 * missing. Running it again does nothing; several instances starting at once wait for
 * each other on the lock table.
 * <p>
 * Users who manage the schema themselves switch the initializer off and apply the SQL
 * that {@link #exportSql(PostgresStoreSettings, Writer)} writes.
 */
public final class PostgresSchemaInitializer {

	/** The classpath location of the master changelog. */
	public static final String CHANGELOG = "io/eventy/store/postgres/changelog/eventy-changelog-master.xml";

	/** The changelog parameter that holds the schema. */
	static final String SCHEMA_PARAMETER = "eventy.schema";

	/** The changelog parameter that holds the table prefix. */
	static final String PREFIX_PARAMETER = "eventy.prefix";

	/** The first key of the migration's advisory lock, "EVTY". */
	static final int MIGRATION_LOCK_CLASS = 0x45565459;

	private static final Logger logger = LoggerFactory.getLogger(PostgresSchemaInitializer.class);

	private final DataSource dataSource;

	private final PostgresStoreSettings settings;

	/**
	 * Create an initializer.
	 * @param dataSource the database
	 * @param settings schema and table prefix
	 */
	public PostgresSchemaInitializer(DataSource dataSource, PostgresStoreSettings settings) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
		this.settings = Objects.requireNonNull(settings, "settings");
	}

	/**
	 * Bring the schema up to date: create the schema if it is missing, then run every
	 * change set of the changelog that has not run yet.
	 * @throws SchemaInitializationException if no connection can be made or the database
	 * refuses a change
	 */
	public void initialize() {
		initialize(null);
	}

	/**
	 * Bring the schema up to date, calling back while every lock of the migration is held
	 * (for the tests that kill a process in the middle of it).
	 * @param whileLocked called once both locks are held, before any change, or
	 * {@code null}
	 */
	void initialize(@Nullable Runnable whileLocked) {
		Connection connection;
		try {
			connection = this.dataSource.getConnection();
		}
		catch (SQLException ex) {
			throw new SchemaInitializationException(
					"Could not connect to the database to create Eventy's tables: " + ex.getMessage(), true, ex);
		}
		try (connection) {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(true);
			lockMigration(connection);
			try {
				releaseStaleChangelogLock(connection);
				createSchemaIfMissing(connection);
				Database database = DatabaseFactory.getInstance()
					.findCorrectDatabaseImplementation(new JdbcConnection(connection));
				run(database, this.settings, UpdateCommandStep.COMMAND_NAME, null, whileLocked);
			}
			finally {
				unlockMigration(connection);
				connection.setAutoCommit(autoCommit);
			}
		}
		catch (Exception ex) {
			throw new SchemaInitializationException("Could not bring Eventy's PostgreSQL tables in schema '"
					+ this.settings.schema() + "' up to date: " + ex.getMessage(), false, ex);
		}
	}

	/**
	 * Wait for the migration lock of this schema and prefix: a session-level advisory
	 * lock, which PostgreSQL releases itself when the session ends, also when its process
	 * is killed. Liquibase's own lock is a row that a killed process leaves locked.
	 */
	private void lockMigration(Connection connection) throws SQLException {
		callOnMigrationLock(connection, "pg_advisory_lock");
	}

	private void unlockMigration(Connection connection) throws SQLException {
		callOnMigrationLock(connection, "pg_advisory_unlock");
	}

	private void callOnMigrationLock(Connection connection, String function) throws SQLException {
		try (PreparedStatement call = connection.prepareStatement("SELECT " + function + "(?, hashtext(?))")) {
			call.setInt(1, MIGRATION_LOCK_CLASS);
			call.setString(2, migrationLockName());
			call.execute();
		}
	}

	private String migrationLockName() {
		return this.settings.schema() + "." + this.settings.tablePrefix() + "changelog";
	}

	/**
	 * Release Liquibase's changelog lock when it is taken: whoever holds the migration
	 * lock is the only one migrating, so a taken changelog lock was left by a process
	 * that stopped in the middle of a migration.
	 */
	private void releaseStaleChangelogLock(Connection connection) throws SQLException {
		String table = this.settings.schema() + "." + this.settings.tablePrefix() + "changelog_lock";
		try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
			exists.setString(1, table);
			try (ResultSet result = exists.executeQuery()) {
				if (!result.next() || !result.getBoolean(1)) {
					return;
				}
			}
		}
		try (Statement statement = connection.createStatement();
				ResultSet taken = statement
					.executeQuery("SELECT lockedby, lockgranted FROM " + table + " WHERE locked")) {
			if (!taken.next()) {
				return;
			}
			logger.warn("Released Eventy's changelog lock, taken by {} at {}: that process stopped during a "
					+ "migration of Eventy's tables", taken.getString(1), taken.getTimestamp(2));
		}
		try (Statement release = connection.createStatement()) {
			release.executeUpdate(
					"UPDATE " + table + " SET locked = FALSE, lockgranted = NULL, lockedby = NULL WHERE locked");
		}
	}

	/**
	 * Write the SQL that {@link #initialize()} would run on an empty database, including
	 * the statements that fill the changelog tables, so that the initializer finds
	 * everything applied if it is switched on later. No database is needed.
	 * @param settings schema and table prefix
	 * @param out where to write the SQL
	 * @throws IllegalStateException if the changelog cannot be rendered
	 */
	public static void exportSql(PostgresStoreSettings settings, Writer out) {
		Objects.requireNonNull(settings, "settings");
		Objects.requireNonNull(out, "out");
		Path history = null;
		try {
			// the offline database keeps its "already applied" list in a CSV file: a
			// fresh, empty one means every change set is written
			history = Files.createTempFile("eventy-changelog", ".csv");
			Files.delete(history);
			String url = "offline:postgresql?version=17.0&outputLiquibaseSql=all&changeLogFile="
					+ history.toAbsolutePath();
			ResourceAccessor resources = resourceAccessor();
			Database database = DatabaseFactory.getInstance()
				.findCorrectDatabaseImplementation(new OfflineConnection(url, resources));
			ByteArrayOutputStream sql = new ByteArrayOutputStream();
			run(database, settings, UpdateSqlCommandStep.COMMAND_NAME, sql, null);
			out.write("-- Eventy PostgreSQL schema (schema " + settings.schema() + ", table prefix '"
					+ settings.tablePrefix() + "')\n");
			out.write("CREATE SCHEMA IF NOT EXISTS " + settings.schema() + ";\n\n");
			out.write(sql.toString(StandardCharsets.UTF_8));
			out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write Eventy's PostgreSQL schema SQL", ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not render Eventy's PostgreSQL schema SQL: " + ex.getMessage(), ex);
		}
		finally {
			if (history != null) {
				try {
					Files.deleteIfExists(history);
				}
				catch (IOException ex) {
					// a temporary file; nothing depends on it
				}
			}
		}
	}

	/**
	 * Print the SQL of {@link #exportSql(PostgresStoreSettings, Writer)} to standard
	 * output: {@code [schema [tablePrefix]]}, by default {@code public eventy_}.
	 * @param args the schema and the table prefix, both optional
	 */
	public static void main(String[] args) {
		PostgresStoreSettings defaults = PostgresStoreSettings.defaults();
		PostgresStoreSettings settings = new PostgresStoreSettings((args.length > 0) ? args[0] : defaults.schema(),
				(args.length > 1) ? args[1] : defaults.tablePrefix());
		Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
		exportSql(settings, out);
	}

	private void createSchemaIfMissing(Connection connection) throws SQLException {
		// check first: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when
		// the schema exists
		try (PreparedStatement exists = connection
			.prepareStatement("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
			exists.setString(1, this.settings.schema());
			try (ResultSet result = exists.executeQuery()) {
				if (result.next()) {
					return;
				}
			}
		}
		try (Statement create = connection.createStatement()) {
			create.execute("CREATE SCHEMA IF NOT EXISTS " + this.settings.schema());
		}
		if (!connection.getAutoCommit()) {
			connection.commit();
		}
	}

	private static void run(Database database, PostgresStoreSettings settings, String[] command,
			@Nullable ByteArrayOutputStream output, @Nullable Runnable whileLocked) throws Exception {
		String prefix = settings.tablePrefix();
		database.setDefaultSchemaName(settings.schema());
		database.setLiquibaseSchemaName(settings.schema());
		database.setDatabaseChangeLogTableName(prefix + "changelog");
		database.setDatabaseChangeLogLockTableName(prefix + "changelog_lock");
		ChangeLogParameters parameters = new ChangeLogParameters(database);
		parameters.set(SCHEMA_PARAMETER, settings.schema());
		parameters.set(PREFIX_PARAMETER, prefix);
		Map<String, Object> scope = Map.of(Scope.Attr.resourceAccessor.name(), resourceAccessor(), Scope.Attr.ui.name(),
				new LoggerUIService(), Scope.Attr.logService.name(), new SchemaLogService(),
				AnalyticsArgs.ENABLED.getKey(), Boolean.FALSE);
		Scope.child(scope, () -> {
			CommandScope update = new CommandScope(command)
				.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
				.addArgumentValue(DatabaseChangelogCommandStep.CHANGELOG_FILE_ARG, CHANGELOG)
				.addArgumentValue(DatabaseChangelogCommandStep.CHANGELOG_PARAMETERS, parameters)
				.addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY, UpdateSummaryEnum.OFF);
			if (output != null) {
				update.setOutput(output);
			}
			if (whileLocked != null) {
				// the changelog lock as the update takes it, which then finds it held
				LockServiceFactory.getInstance().getLockService(database).waitForLock();
				whileLocked.run();
			}
			update.execute();
		});
	}

	private static ResourceAccessor resourceAccessor() {
		return new ClassLoaderResourceAccessor(PostgresSchemaInitializer.class.getClassLoader());
	}

}
