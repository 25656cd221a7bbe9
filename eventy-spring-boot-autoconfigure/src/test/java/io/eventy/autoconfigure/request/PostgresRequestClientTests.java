package io.eventy.autoconfigure.request;

import javax.sql.DataSource;

import io.eventy.autoconfigure.EventyAutoConfiguration;
import io.eventy.autoconfigure.handler.EventyHandlersAutoConfiguration;
import io.eventy.autoconfigure.postgres.EventyPostgresAutoConfiguration;
import io.eventy.autoconfigure.postgres.EventyPostgresRequestsAutoConfiguration;
import io.eventy.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

/**
 * The request client on PostgreSQL: both services share one database as their bus.
 */
class PostgresRequestClientTests extends RequestClientContractTests {

	private PGSimpleDataSource database;

	@BeforeEach
	void newDatabase() {
		this.database = PostgresTestDatabase.newDatabase();
	}

	private ApplicationContextRunner service(String name) {
		PGSimpleDataSource dataSource = this.database;
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ValidationAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, EventyAutoConfiguration.class,
					EventyPostgresAutoConfiguration.class, EventyHandlersAutoConfiguration.class,
					EventyRequestsAutoConfiguration.class, EventyPostgresRequestsAutoConfiguration.class))
			.withBean(DataSource.class, () -> dataSource)
			.withPropertyValues("spring.application.name=" + name, "eventy.handlers.poll-interval=100ms",
					"eventy.requests.poll-interval=50ms");
	}

	@Override
	ApplicationContextRunner payment() {
		return service(paymentName()).withPropertyValues("eventy.service.namespace=urn:pay").withBean(Payments.class);
	}

	@Override
	ApplicationContextRunner orders() {
		return service("orders").withPropertyValues("eventy.services.payment.namespace=urn:pay");
	}

	@Override
	String paymentName() {
		return "payment";
	}

}
