package io.eventy.autoconfigure.postgres;

import java.util.List;

import javax.sql.DataSource;

import io.eventy.autoconfigure.EventyAutoConfiguration;
import io.eventy.testsupport.PostgresTestDatabase;
import liquibase.integration.spring.SpringLiquibase;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.liquibase.LiquibaseAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class LiquibaseDefaultsEnvironmentPostProcessorTests {

	private final LiquibaseDefaultsEnvironmentPostProcessor postProcessor = new LiquibaseDefaultsEnvironmentPostProcessor(
			(supplier) -> supplier.get());

	private final StandardEnvironment environment = new StandardEnvironment();

	@Test
	void switchesOffSpringBootLiquibaseWhenTheApplicationHasNoChangelog() {
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty("spring.liquibase.enabled")).isEqualTo("false");
	}

	@Test
	void leavesSpringBootLiquibaseOnWhenTheApplicationHasItsOwnChangelog() {
		TestPropertyValues.of("spring.liquibase.change-log=classpath:/eventy-test/application-changelog.yaml")
			.applyTo(this.environment);
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.containsProperty("spring.liquibase.enabled")).isFalse();
	}

	@Test
	void leavesAnExplicitChoiceAlone() {
		TestPropertyValues.of("spring.liquibase.enabled=true").applyTo(this.environment);
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty("spring.liquibase.enabled")).isEqualTo("true");
		assertThat(this.environment.getPropertySources()
			.contains(LiquibaseDefaultsEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
	}

	@Test
	void doesNothingWithoutLiquibaseOnTheClasspath() {
		SpringApplication application = new SpringApplication();
		application.setResourceLoader(new DefaultResourceLoader(new FilteredClassLoader("liquibase.")));
		this.postProcessor.postProcessEnvironment(this.environment, application);
		assertThat(this.environment.containsProperty("spring.liquibase.enabled")).isFalse();
	}

	@Test
	void letsAnApplicationWithoutAChangelogStartWithLiquibaseOnTheClasspath() {
		PGSimpleDataSource database = PostgresTestDatabase.newDatabase();
		try (ConfigurableApplicationContext context = start(database, "eventy.postgres.initialize-schema=false")) {
			assertThat(context.getBeansOfType(SpringLiquibase.class)).isEmpty();
		}
	}

	@Test
	void runsTheApplicationChangelogBesideEventyTables() {
		PGSimpleDataSource database = PostgresTestDatabase.newDatabase();
		try (ConfigurableApplicationContext context = start(database,
				"spring.liquibase.change-log=classpath:/eventy-test/application-changelog.yaml")) {
			assertThat(context.getBeansOfType(SpringLiquibase.class)).hasSize(1);
			List<String> tables = new JdbcTemplate(database).queryForList(
					"select table_name from information_schema.tables where table_schema = 'public'", String.class);
			assertThat(tables).contains("application_orders").anyMatch((table) -> table.startsWith("eventy_"));
		}
	}

	private static ConfigurableApplicationContext start(DataSource database, String... properties) {
		return new SpringApplicationBuilder(ApplicationConfiguration.class).web(WebApplicationType.NONE)
			.properties("spring.application.name=order-service",
					"spring.datasource.url=" + ((PGSimpleDataSource) database).getURL(),
					"spring.datasource.username=postgres")
			.properties(properties)
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, LiquibaseAutoConfiguration.class,
			JacksonAutoConfiguration.class, EventyAutoConfiguration.class, EventyPostgresAutoConfiguration.class })
	static class ApplicationConfiguration {

	}

}
