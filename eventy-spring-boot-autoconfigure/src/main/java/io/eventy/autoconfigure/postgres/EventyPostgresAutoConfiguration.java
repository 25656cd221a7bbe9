package io.eventy.autoconfigure.postgres;

import javax.sql.DataSource;

import io.eventy.aggregate.SnapshotStore;
import io.eventy.autoconfigure.EventyAutoConfiguration;
import io.eventy.autoconfigure.EventyConfigurationException;
import io.eventy.autoconfigure.EventyProperties;
import io.eventy.record.RecordFactory;
import io.eventy.store.EventStore;
import io.eventy.store.postgres.PostgresEventStore;
import io.eventy.store.postgres.PostgresSchemaInitializer;
import io.eventy.store.postgres.PostgresSnapshotStore;
import io.eventy.store.postgres.PostgresStoreSettings;
import io.eventy.store.postgres.PostgresUpcasterCheck;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Auto-configuration of the PostgreSQL {@link EventStore}, chosen by
 * {@code eventy.store.type=postgres}, the default when the application has one
 * {@link DataSource}. Eventy's tables are created and upgraded at startup by
 * {@link PostgresSchemaInitializer} (Eventy's own Liquibase changelog and changelog
 * tables, never a {@code SpringLiquibase} bean) unless
 * {@code eventy.postgres.initialize-schema=false}; the store and every bean that depends
 * on database initialization wait for it.
 * <p>
 * When {@code eventy.store.type=postgres} is set explicitly and the store cannot be
 * created (no single {@code DataSource}, no Spring JDBC), startup fails with a message
 * that says what to configure.
 */
@AutoConfiguration(after = EventyAutoConfiguration.class,
		afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnProperty(name = "eventy.store.type", havingValue = "postgres", matchIfMissing = true)
public final class EventyPostgresAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JdbcTemplate.class)
	@ConditionalOnSingleCandidate(DataSource.class)
	@Import(DatabaseInitializationDependencyConfigurer.class)
	static class PostgresStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PostgresStoreSettings postgresStoreSettings(EventyProperties properties) {
			EventyProperties.Postgres postgres = properties.getPostgres();
			return new PostgresStoreSettings(postgres.getSchema(), postgres.getTablePrefix());
		}

		@Bean
		@ConditionalOnMissingBean(EventStore.class)
		@DependsOnDatabaseInitialization
		PostgresEventStore eventStore(DataSource dataSource, PostgresStoreSettings settings,
				RecordFactory recordFactory) {
			return new PostgresEventStore(dataSource, settings, recordFactory);
		}

		/**
		 * Once every record type is registered, report stored records no upcaster chain
		 * reads, from a thread of its own: it never delays startup.
		 */
		@Bean
		static SmartInitializingSingleton eventyUpcasterCheck(ObjectProvider<DataSource> dataSource,
				ObjectProvider<PostgresStoreSettings> settings, ObjectProvider<RecordFactory> recordFactory) {
			return () -> {
				PostgresUpcasterCheck check = new PostgresUpcasterCheck(dataSource.getObject(), settings.getObject(),
						recordFactory.getObject());
				Thread thread = new Thread(() -> {
					try {
						check.check();
					}
					catch (RuntimeException ex) {
						LoggerFactory.getLogger(PostgresUpcasterCheck.class)
							.debug("Eventy could not check the stored record versions", ex);
					}
				}, "eventy-upcaster-check");
				thread.setDaemon(true);
				thread.start();
			};
		}

		@Bean
		@ConditionalOnMissingBean(SnapshotStore.class)
		PostgresSnapshotStore eventySnapshotStore(DataSource dataSource, PostgresStoreSettings settings) {
			return new PostgresSnapshotStore(dataSource, settings);
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = "liquibase.Liquibase")
		@ConditionalOnProperty(name = "eventy.postgres.initialize-schema", havingValue = "true", matchIfMissing = true)
		static class SchemaInitializationConfiguration {

			@Bean(initMethod = "initialize")
			@ConditionalOnMissingBean
			PostgresSchemaInitializer eventyPostgresSchemaInitializer(DataSource dataSource,
					PostgresStoreSettings settings) {
				return new PostgresSchemaInitializer(dataSource, settings);
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnMissingClass("liquibase.Liquibase")
		@ConditionalOnProperty(name = "eventy.postgres.initialize-schema", havingValue = "true", matchIfMissing = true)
		static class MissingLiquibaseConfiguration implements InitializingBean {

			@Override
			public void afterPropertiesSet() {
				throw new EventyConfigurationException(
						"Eventy creates its PostgreSQL tables with its own Liquibase changelog "
								+ "('eventy.postgres.initialize-schema' is true), but Liquibase is not on the classpath.",
						"Add org.liquibase:liquibase-core to the dependencies (eventy-spring-boot-starter has it), "
								+ "or create the tables yourself and set 'eventy.postgres.initialize-schema=false'.");
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "eventy.store.type", havingValue = "postgres")
	@ConditionalOnClass(JdbcTemplate.class)
	@Conditional(NoSingleDataSourceCondition.class)
	static class MissingDataSourceConfiguration implements InitializingBean {

		private final ListableBeanFactory beanFactory;

		MissingDataSourceConfiguration(ListableBeanFactory beanFactory) {
			this.beanFactory = beanFactory;
		}

		@Override
		public void afterPropertiesSet() {
			int count = this.beanFactory.getBeanNamesForType(DataSource.class, true, false).length;
			String found = (count == 0) ? "there is no DataSource"
					: "there are " + count + " DataSource beans and none is @Primary";
			throw new EventyConfigurationException(
					"'eventy.store.type' is 'postgres', so Eventy stores records in PostgreSQL, but " + found + ".",
					"Configure the database with 'spring.datasource.url' (and 'spring.datasource.username', "
							+ "'spring.datasource.password'), mark one DataSource @Primary, "
							+ "or store records on Kafka: depend on eventy-spring-boot-starter-kafka instead and set "
							+ "'eventy.store.type=kafka'.");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "eventy.store.type", havingValue = "postgres")
	@ConditionalOnMissingClass("org.springframework.jdbc.core.JdbcTemplate")
	static class MissingSpringJdbcConfiguration implements InitializingBean {

		@Override
		public void afterPropertiesSet() {
			throw new EventyConfigurationException(
					"'eventy.store.type' is 'postgres', but Spring JDBC is not on the classpath.",
					"Add org.springframework.boot:spring-boot-starter-jdbc and the PostgreSQL driver to the "
							+ "dependencies (eventy-spring-boot-starter has spring-boot-starter-jdbc), "
							+ "or depend on eventy-spring-boot-starter-kafka and set 'eventy.store.type=kafka'.");
		}

	}

	static class NoSingleDataSourceCondition extends NoneNestedConditions {

		NoSingleDataSourceCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnSingleCandidate(DataSource.class)
		static class SingleDataSource {

		}

	}

}
