package io.eventy.autoconfigure.kafka;

import java.util.Map;

import javax.sql.DataSource;

import io.eventy.store.EventStore;
import io.eventy.store.kafka.KafkaEventStore;
import io.eventy.testsupport.KafkaTestBroker;
import io.eventy.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class KafkaOnlyDataSourceFilterTests {

	private static final String DATA_SOURCE = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration";

	private static final String LIQUIBASE = "org.springframework.boot.autoconfigure.liquibase.LiquibaseAutoConfiguration";

	private static final String KAFKA = "org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration";

	private static final String[] CANDIDATES = { DATA_SOURCE, null, LIQUIBASE, KAFKA };

	@Test
	void leavesOutTheDatabaseAutoConfigurationsOnKafkaWithoutADatabase() {
		assertThat(match(new MockEnvironment().withProperty("eventy.store.type", "kafka"))).containsExactly(false, true,
				false, true);
	}

	@Test
	void readsTheStoreTypeWithRelaxedBinding() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource("env", Map.of("EVENTY_STORE_TYPE", "KAFKA")));
		assertThat(match(environment)).containsExactly(false, true, false, true);
	}

	@Test
	void keepsEverythingWhenADatabaseUrlIsSet() {
		assertThat(match(new MockEnvironment().withProperty("eventy.store.type", "kafka")
			.withProperty("spring.datasource.url", "jdbc:postgresql://db/orders"))).containsOnly(true);
	}

	@Test
	void keepsEverythingWhenAJndiDataSourceIsSet() {
		assertThat(match(new MockEnvironment().withProperty("eventy.store.type", "kafka")
			.withProperty("spring.datasource.jndi-name", "java:comp/env/jdbc/orders"))).containsOnly(true);
	}

	@Test
	void keepsEverythingOnPostgresqlOrWithoutAStoreType() {
		assertThat(match(new MockEnvironment().withProperty("eventy.store.type", "postgres"))).containsOnly(true);
		assertThat(match(new MockEnvironment())).containsOnly(true);
	}

	@Test
	void keepsEverythingWhenTheStoreTypeIsInvalidSoThatStartupReportsIt() {
		assertThat(match(new MockEnvironment().withProperty("eventy.store.type", "cassandra"))).containsOnly(true);
	}

	@Test
	void startsAKafkaApplicationWithoutADatabase() {
		try (ConfigurableApplicationContext context = run()) {
			assertThat(context.getBeansOfType(DataSource.class)).isEmpty();
			assertThat(context.getBean(EventStore.class)).isInstanceOf(KafkaEventStore.class);
		}
	}

	@Test
	void keepsTheApplicationsDatabaseOnKafka() {
		String url = PostgresTestDatabase.jdbcUrl("postgres");
		try (ConfigurableApplicationContext context = run("spring.datasource.url=" + url,
				"spring.datasource.username=postgres")) {
			assertThat(context.getBean(DataSource.class)).isNotNull();
			assertThat(context.getBean(EventStore.class)).isInstanceOf(KafkaEventStore.class);
		}
	}

	private static boolean[] match(org.springframework.core.env.Environment environment) {
		KafkaOnlyDataSourceFilter filter = new KafkaOnlyDataSourceFilter();
		filter.setEnvironment(environment);
		filter.setBeanClassLoader(KafkaOnlyDataSourceFilterTests.class.getClassLoader());
		return filter.match(CANDIDATES, mock(AutoConfigurationMetadata.class));
	}

	private static ConfigurableApplicationContext run(String... properties) {
		return new SpringApplicationBuilder(KafkaOnlyApplication.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "eventy.store.type=kafka",
					"spring.application.name=" + KafkaTestBroker.uniqueName("kafka-only"),
					"spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(),
					"management.tracing.enabled=false")
			.properties(properties)
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class KafkaOnlyApplication {

	}

}
