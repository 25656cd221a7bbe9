package io.eventy.autoconfigure.postgres;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.eventy.autoconfigure.EventyAutoConfiguration;
import io.eventy.autoconfigure.EventyConfigurationException;
import io.eventy.autoconfigure.StartupFailures;
import io.eventy.autoconfigure.scan.ScannedOrderPlaced;
import io.eventy.record.InvalidRecordException;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.store.AppendResult;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.postgres.PostgresEventStore;
import io.eventy.store.postgres.PostgresSchemaInitializer;
import io.eventy.store.postgres.PostgresStoreSettings;
import io.eventy.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class EventyPostgresAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ValidationAutoConfiguration.class,
				EventyAutoConfiguration.class, EventyPostgresAutoConfiguration.class))
		.withPropertyValues("spring.application.name=order-service");

	private ApplicationContextRunner withDatabase() {
		PGSimpleDataSource dataSource = PostgresTestDatabase.newDatabase();
		return this.contextRunner.withBean(DataSource.class, () -> dataSource);
	}

	@Test
	void aDatabaseThatRefusesTheConnectionFailsStartupNamingTheDataSourceProperties() {
		PGSimpleDataSource wrongUser = PostgresTestDatabase.dataSource("postgres");
		wrongUser.setUser("nobody");
		this.contextRunner.withBean(DataSource.class, () -> wrongUser).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new SchemaInitializationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).startsWith("Could not connect to the database");
			assertThat(analysis.getAction()).contains("spring.datasource.url")
				.contains("spring.datasource.username")
				.contains("spring.datasource.password");
		});
	}

	@Test
	void storesInPostgresWhenADataSourceExistsAndNoStoreTypeIsSet() {
		withDatabase().run((context) -> assertThat(context).hasSingleBean(EventStore.class)
			.getBean(EventStore.class)
			.isInstanceOf(PostgresEventStore.class));
	}

	@Test
	void storesInPostgresWhenTheStoreTypeIsPostgres() {
		withDatabase().withPropertyValues("eventy.store.type=postgres")
			.run((context) -> assertThat(context).hasSingleBean(PostgresEventStore.class));
	}

	@Test
	void usesTheDefaultSchemaAndTablePrefix() {
		withDatabase().run((context) -> assertThat(context.getBean(PostgresStoreSettings.class))
			.isEqualTo(new PostgresStoreSettings("public", "eventy_")));
	}

	@Test
	void createsTheStoreTablesAtStartup() {
		withDatabase().run((context) -> {
			assertThat(context).hasSingleBean(PostgresSchemaInitializer.class);
			assertThat(tables(context.getBean(DataSource.class), "public", "eventy_")).isNotEmpty();
		});
	}

	@Test
	void createsTheStoreAfterTheSchemaIsInitialized() {
		withDatabase().run((context) -> {
			String[] initializers = context.getBeanNamesForType(PostgresSchemaInitializer.class);
			String[] storeDependsOn = context.getBeanFactory()
				.getBeanDefinition(context.getBeanNamesForType(EventStore.class)[0])
				.getDependsOn();
			assertThat(initializers).hasSize(1);
			assertThat(storeDependsOn).isNotNull();
			assertThat(Arrays.asList(storeDependsOn)).contains(initializers[0]);
		});
	}

	@Test
	void createsNoTablesWhenSchemaInitializationIsSwitchedOff() {
		withDatabase().withPropertyValues("eventy.postgres.initialize-schema=false").run((context) -> {
			assertThat(context).doesNotHaveBean(PostgresSchemaInitializer.class)
				.hasSingleBean(PostgresEventStore.class);
			assertThat(tables(context.getBean(DataSource.class), "public", "eventy_")).isEmpty();
		});
	}

	@Test
	void createsTheTablesInTheConfiguredSchemaWithTheConfiguredPrefix() {
		PGSimpleDataSource dataSource = PostgresTestDatabase.newDatabase();
		new JdbcTemplate(dataSource).execute("create schema shop_events");
		this.contextRunner.withBean(DataSource.class, () -> dataSource)
			.withPropertyValues("eventy.postgres.schema=shop_events", "eventy.postgres.table-prefix=orders_")
			.run((context) -> {
				assertThat(context.getBean(PostgresStoreSettings.class))
					.isEqualTo(new PostgresStoreSettings("shop_events", "orders_"));
				assertThat(tables(dataSource, "shop_events", "orders_")).isNotEmpty();
				assertThat(tables(dataSource, "public", "eventy_")).isEmpty();
			});
	}

	@Test
	void appendsAndReadsRecordsThroughTheAutoConfiguredStore() {
		withDatabase().run((context) -> {
			EventStore store = context.getBean(EventStore.class);
			StreamId stream = StreamId.of("order", "42");
			AppendResult result = store.append(stream, ExpectedVersion.noStream(), new ScannedOrderPlaced("42", 1200));
			List<StoredRecord> records = store.readStream(stream);
			assertThat(result.streamVersion()).isEqualTo(1);
			assertThat(records).singleElement().satisfies((record) -> {
				assertThat(record.record().qualifiedName()).isEqualTo("urn:shop:OrderPlaced");
				assertThat(record.record().source()).isEqualTo("urn:order-service");
				assertThat(record.payload(ScannedOrderPlaced.class)).isEqualTo(new ScannedOrderPlaced("42", 1200));
			});
		});
	}

	@Test
	void reportsStoredRecordsOfAMajorVersionThePayloadClassCannotReadAtStartup(CapturedOutput output) {
		PGSimpleDataSource dataSource = PostgresTestDatabase.newDatabase();
		new PostgresSchemaInitializer(dataSource, PostgresStoreSettings.defaults()).initialize();
		new JdbcTemplate(dataSource)
			.update("INSERT INTO eventy_records (uuid, kind, namespace, name, protocol_version, "
					+ "version, source, correlation_id, recorded_at, context, data) VALUES (gen_random_uuid(), 'EVENT', "
					+ "'urn:shop', 'OrderPlaced', '3.0.0', '7.1.0', 'urn:newer-service', 'c', now(), '{}', '{}')");
		RecordTypeRegistry registry = new RecordTypeRegistry("urn:order-service");
		registry.register(ScannedOrderPlaced.class);
		this.contextRunner.withBean(DataSource.class, () -> dataSource)
			.withBean(RecordTypeRegistry.class, () -> registry)
			.run((context) -> await().atMost(Duration.ofSeconds(10))
				.until(() -> output.getOut()
					.contains("Eventy cannot read some stored records as " + ScannedOrderPlaced.class.getName()
							+ ": records of urn:shop:OrderPlaced 7.x are stored, newer than the payload class reads "
							+ "(1.x): deploy the newer payload class.")));
	}

	@Test
	void rejectsAnInvalidPayloadBeforeStoringIt() {
		withDatabase().run((context) -> {
			EventStore store = context.getBean(EventStore.class);
			StreamId stream = StreamId.of("order", "43");
			assertThatExceptionOfType(InvalidRecordException.class)
				.isThrownBy(() -> store.append(stream, ExpectedVersion.any(), new ScannedOrderPlaced("43", 0)))
				.withMessageContaining("amountCents");
			assertThat(store.readStream(stream)).isEmpty();
		});
	}

	@Test
	void usesTheDataSourceThatSpringDatasourceUrlConfigures() {
		PGSimpleDataSource database = PostgresTestDatabase.newDatabase();
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=" + database.getURL(), "spring.datasource.username=postgres")
			.run((context) -> {
				assertThat(context).hasSingleBean(DataSource.class).hasSingleBean(PostgresEventStore.class);
				assertThat(context.getBean(DataSource.class)).isNotSameAs(database);
				assertThat(tables(database, "public", "eventy_")).isNotEmpty();
			});
	}

	@Test
	void createsNoPostgresStoreWhenTheStoreTypeIsKafka() {
		withDatabase().withPropertyValues("eventy.store.type=kafka").run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(PostgresEventStore.class)
				.doesNotHaveBean(PostgresSchemaInitializer.class)
				.doesNotHaveBean(PostgresStoreSettings.class);
			assertThat(tables(context.getBean(DataSource.class), "public", "eventy_")).isEmpty();
		});
	}

	@Test
	void createsNoStoreWithoutADataSourceWhenNoStoreTypeIsSet() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventStore.class));
	}

	@Test
	void createsNoStoreWithoutSpringJdbcWhenNoStoreTypeIsSet() {
		withDatabase().withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventStore.class));
	}

	@Test
	void backsOffToTheApplicationEventStore() {
		EventStore store = new ApplicationEventStore();
		withDatabase().withBean(EventStore.class, () -> store).run((context) -> {
			assertThat(context).doesNotHaveBean(PostgresEventStore.class);
			assertThat(context).getBean(EventStore.class).isSameAs(store);
		});
	}

	@Test
	void backsOffToTheApplicationStoreSettings() {
		PGSimpleDataSource dataSource = PostgresTestDatabase.newDatabase();
		new JdbcTemplate(dataSource).execute("create schema custom");
		PostgresStoreSettings settings = new PostgresStoreSettings("custom", "ev_");
		this.contextRunner.withBean(DataSource.class, () -> dataSource)
			.withBean(PostgresStoreSettings.class, () -> settings)
			.run((context) -> {
				assertThat(context).getBean(PostgresStoreSettings.class).isSameAs(settings);
				assertThat(tables(dataSource, "custom", "ev_")).isNotEmpty();
			});
	}

	@Test
	void failsWhenTheStoreTypeIsPostgresAndThereIsNoDataSource() {
		this.contextRunner.withPropertyValues("eventy.store.type=postgres").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(EventyConfigurationException.class)
				.hasMessageContaining("'eventy.store.type' is 'postgres'")
				.hasMessageContaining("there is no DataSource")
				.hasMessageContaining("'spring.datasource.url'")
				.hasMessageContaining("'eventy.store.type=kafka'");
		});
	}

	@Test
	void failsWhenTheStoreTypeIsPostgresAndNoDataSourceIsPrimary() {
		this.contextRunner.withPropertyValues("eventy.store.type=postgres")
			.withBean("first", DataSource.class, PostgresTestDatabase::newDatabase)
			.withBean("second", DataSource.class, PostgresTestDatabase::newDatabase)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(EventyConfigurationException.class)
					.hasMessageContaining("there are 2 DataSource beans and none is @Primary");
			});
	}

	@Test
	void failsWhenTheStoreTypeIsPostgresAndSpringJdbcIsMissing() {
		withDatabase().withPropertyValues("eventy.store.type=postgres")
			.withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(EventyConfigurationException.class)
					.hasMessageContaining("Spring JDBC is not on the classpath")
					.hasMessageContaining("spring-boot-starter-jdbc");
			});
	}

	@Test
	void failsWhenSchemaInitializationIsOnAndLiquibaseIsMissing() {
		withDatabase().withClassLoader(new FilteredClassLoader("liquibase.")).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(EventyConfigurationException.class)
				.hasMessageContaining("Liquibase is not on the classpath")
				.hasMessageContaining("'eventy.postgres.initialize-schema=false'");
		});
	}

	@Test
	void needsNoLiquibaseWhenSchemaInitializationIsSwitchedOff() {
		withDatabase().withClassLoader(new FilteredClassLoader("liquibase."))
			.withPropertyValues("eventy.postgres.initialize-schema=false")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(PostgresEventStore.class));
	}

	@Test
	void refusesASqlHostileSchemaNamingTheProperty() {
		withDatabase().withPropertyValues("eventy.postgres.schema=bad;drop").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(StartupFailures.boundProperty(context.getStartupFailure()))
				.startsWith("eventy.postgres.schema: ")
				.endsWith("was 'bad;drop'");
		});
	}

	@Test
	void refusesASqlHostileTablePrefixNamingTheProperty() {
		withDatabase().withPropertyValues("eventy.postgres.table-prefix=x\"; drop table y; --").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(StartupFailures.boundProperty(context.getStartupFailure()))
				.startsWith("eventy.postgres.table-prefix: ")
				.contains("lower-case identifier");
		});
	}

	private static List<String> tables(DataSource dataSource, String schema, String prefix) {
		return new JdbcTemplate(dataSource).queryForList(
				"select table_name from information_schema.tables where table_schema = ? and starts_with(table_name, ?)",
				String.class, schema, prefix);
	}

	/**
	 * An event store of the application's own.
	 */
	static class ApplicationEventStore implements EventStore {

		@Override
		public AppendResult append(StreamId stream, ExpectedVersion expected, List<?> payloads) {
			throw new UnsupportedOperationException("the application's store");
		}

		@Override
		public List<StoredRecord> readStream(StreamId stream, long fromVersion) {
			return List.of();
		}

		@Override
		public List<StoredRecord> readCategory(String streamType, long fromPosition, int limit) {
			return List.of();
		}

		@Override
		public List<StoredRecord> readAll(long fromPosition, int limit) {
			return List.of();
		}

		@Override
		public StoredRecord publish(Object payload) {
			throw new UnsupportedOperationException("the application's store");
		}

		@Override
		public StoredRecord publish(String qualifiedName, Map<String, ?> data) {
			throw new UnsupportedOperationException("the application's store");
		}

	}

}
