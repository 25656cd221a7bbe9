package io.eventy.autoconfigure.request;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import io.eventy.autoconfigure.EventyAutoConfiguration;
import io.eventy.autoconfigure.EventyProperties;
import io.eventy.autoconfigure.postgres.EventyPostgresAutoConfiguration;
import io.eventy.autoconfigure.postgres.EventyPostgresRequestsAutoConfiguration;
import io.eventy.request.DefaultRequestClient;
import io.eventy.request.RequestClient;
import io.eventy.store.postgres.PostgresResponseListener;
import io.eventy.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class EventyRequestsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, EventyAutoConfiguration.class,
				EventyPostgresAutoConfiguration.class, EventyRequestsAutoConfiguration.class,
				EventyPostgresRequestsAutoConfiguration.class))
		.withPropertyValues("spring.application.name=orders");

	private ApplicationContextRunner withDatabase() {
		DataSource dataSource = PostgresTestDatabase.newDatabase();
		return this.contextRunner.withBean(DataSource.class, () -> dataSource);
	}

	@Test
	void definesTheRequestClientAndThePostgresResponseListener() {
		withDatabase().run((context) -> {
			assertThat(context).hasSingleBean(DefaultRequestClient.class);
			assertThat(context).hasSingleBean(PostgresResponseListener.class);
			assertThat(context.getBean(PostgresResponseListener.class).isRunning()).isTrue();
		});
	}

	@Test
	void requestPropertiesDefaultToThirtySecondsTenThousandPendingAndA100MillisecondPoll() {
		withDatabase().run((context) -> {
			EventyProperties.Requests requests = context.getBean(EventyProperties.class).getRequests();
			assertThat(requests.getTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(requests.getMaxPending()).isEqualTo(10_000);
			assertThat(requests.getPollInterval()).isEqualTo(Duration.ofMillis(100));
		});
	}

	@Test
	void backsOffToTheApplicationsRequestClient() {
		RequestClient own = new RequestClient() {

			@Override
			public <R> CompletableFuture<R> send(Object request, Class<R> responseType) {
				return new CompletableFuture<>();
			}

			@Override
			public <R> CompletableFuture<R> send(Object request, Class<R> responseType, Duration timeout) {
				return new CompletableFuture<>();
			}

		};
		withDatabase().withBean(RequestClient.class, () -> own).run((context) -> {
			assertThat(context.getBean(RequestClient.class)).isSameAs(own);
			assertThat(context).doesNotHaveBean(PostgresResponseListener.class);
		});
	}

	@Test
	void definesNoClientWithoutAStore() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, EventyAutoConfiguration.class,
					EventyRequestsAutoConfiguration.class))
			.withPropertyValues("spring.application.name=orders")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(RequestClient.class);
			});
	}

	@Test
	void failsOnANonPositiveTimeoutNamingTheProperty() {
		withDatabase().withPropertyValues("eventy.requests.timeout=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("must be positive");
		});
	}

}
