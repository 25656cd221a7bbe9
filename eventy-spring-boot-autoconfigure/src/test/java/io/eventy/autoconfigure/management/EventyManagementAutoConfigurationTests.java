package io.eventy.autoconfigure.management;

import javax.sql.DataSource;

import io.eventy.autoconfigure.EventyAutoConfiguration;
import io.eventy.autoconfigure.handler.EventyHandlersAutoConfiguration;
import io.eventy.autoconfigure.postgres.EventyPostgresAutoConfiguration;
import io.eventy.handler.DeadLetters;
import io.eventy.handler.Subscriptions;
import io.eventy.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EventyManagementAutoConfiguration} on the PostgreSQL store.
 */
class EventyManagementAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ValidationAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, EventyAutoConfiguration.class,
				EventyPostgresAutoConfiguration.class, EventyHandlersAutoConfiguration.class,
				EventyManagementAutoConfiguration.class))
		.withPropertyValues("spring.application.name=management-test",
				"management.endpoints.web.exposure.include=eventy");

	private ApplicationContextRunner withDatabase() {
		DataSource dataSource = PostgresTestDatabase.newDatabase();
		return this.contextRunner.withBean(DataSource.class, () -> dataSource);
	}

	@Test
	void definesAReadOnlyEndpointByDefault() {
		withDatabase().run((context) -> {
			assertThat(context).hasSingleBean(Subscriptions.class).hasSingleBean(DeadLetters.class);
			assertThat(context).getBean(EventyEndpoint.class).isExactlyInstanceOf(EventyEndpoint.class);
		});
	}

	@Test
	void definesTheEndpointWithWriteOperationsWhenTheyAreEnabled() {
		withDatabase().withPropertyValues("eventy.management.write-operations.enabled=true")
			.run((context) -> assertThat(context).getBean(EventyEndpoint.class)
				.isExactlyInstanceOf(WritableEventyEndpoint.class));
	}

	@Test
	void definesTheReadOnlyEndpointWhenWriteOperationsAreSwitchedOff() {
		withDatabase().withPropertyValues("eventy.management.write-operations.enabled=false")
			.run((context) -> assertThat(context).getBean(EventyEndpoint.class)
				.isExactlyInstanceOf(EventyEndpoint.class));
	}

	@Test
	void definesNoEndpointWhenItIsNotExposed() {
		withDatabase().withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).doesNotHaveBean(EventyEndpoint.class));
	}

	@Test
	void definesNoEndpointWhenItIsSwitchedOff() {
		withDatabase().withPropertyValues("management.endpoint.eventy.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(EventyEndpoint.class));
	}

	@Test
	void definesNoEndpointWithoutSubscriptions() {
		withDatabase().withPropertyValues("eventy.handlers.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Subscriptions.class)
				.doesNotHaveBean(EventyEndpoint.class));
	}

	@Test
	void definesNoEndpointWithoutTheActuator() {
		withDatabase().withClassLoader(new FilteredClassLoader(WebEndpoint.class))
			.run((context) -> assertThat(context).doesNotHaveBean(EventyEndpoint.class));
	}

	@Test
	void backsOffToTheApplicationsOwnEndpoint() {
		withDatabase().withPropertyValues("eventy.management.write-operations.enabled=true")
			.withBean("ownEndpoint", EventyEndpoint.class)
			.run((context) -> assertThat(context).getBean(EventyEndpoint.class)
				.isSameAs(context.getBean("ownEndpoint")));
	}

}
