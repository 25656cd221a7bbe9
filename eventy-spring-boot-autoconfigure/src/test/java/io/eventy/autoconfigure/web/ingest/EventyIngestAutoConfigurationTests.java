package io.eventy.autoconfigure.web.ingest;

import java.util.List;

import javax.sql.DataSource;

import io.eventy.autoconfigure.EventyAutoConfiguration;
import io.eventy.autoconfigure.EventyConfigurationException;
import io.eventy.autoconfigure.EventyProperties;
import io.eventy.autoconfigure.StartupFailures;
import io.eventy.autoconfigure.postgres.EventyPostgresAutoConfiguration;
import io.eventy.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class EventyIngestAutoConfigurationTests {

	private static final String ROUTER = "eventyIngestRouterFunction";

	private static PGSimpleDataSource database;

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ValidationAutoConfiguration.class,
				EventyAutoConfiguration.class, EventyPostgresAutoConfiguration.class,
				EventyIngestAutoConfiguration.class))
		.withBean(DataSource.class, () -> database)
		.withPropertyValues("spring.application.name=ingest-test");

	@BeforeAll
	static void newDatabase() {
		database = PostgresTestDatabase.newDatabase();
	}

	@Test
	void isOffByDefault() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ROUTER));
	}

	@Test
	void defaultsMatchTheDocumentedOnes() {
		EventyProperties.Ingest ingest = new EventyProperties().getWeb().getIngest();
		assertThat(ingest.isEnabled()).isFalse();
		assertThat(ingest.getPath()).isEqualTo("/event/log");
		assertThat(ingest.getAllowedNames()).isEmpty();
		assertThat(ingest.getMaxBodySize()).isEqualTo(DataSize.ofKilobytes(64));
	}

	@Test
	void registersTheEndpointWhenEnabledWithAllowedNames() {
		this.runner.withPropertyValues("eventy.web.ingest.enabled=true", "eventy.web.ingest.allowed-names=urn:shop:*")
			.run((context) -> assertThat(context).hasBean(ROUTER));
	}

	@Test
	@SuppressWarnings("unchecked")
	void servesTheConfiguredPathOnly() {
		this.runner
			.withPropertyValues("eventy.web.ingest.enabled=true", "eventy.web.ingest.allowed-names=urn:shop:*",
					"eventy.web.ingest.path=/track")
			.run((context) -> {
				RouterFunction<ServerResponse> router = context.getBean(ROUTER, RouterFunction.class);
				assertThat(router.route(post("/track/urn:shop:Clicked"))).isPresent();
				assertThat(router.route(post("/track"))).isPresent();
				assertThat(router.route(post("/event/log/urn:shop:Clicked"))).isEmpty();
				MockHttpServletRequest get = new MockHttpServletRequest("GET", "/track");
				assertThat(router.route(ServerRequest.create(get, List.of()))).isEmpty();
			});
	}

	private static ServerRequest post(String path) {
		return ServerRequest.create(new MockHttpServletRequest("POST", path), List.of());
	}

	@Test
	void failsWhenEnabledWithoutAllowedNames() {
		this.runner.withPropertyValues("eventy.web.ingest.enabled=true").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(EventyConfigurationException.class)
				.hasMessageContaining("eventy.web.ingest.allowed-names is empty");
		});
	}

	@Test
	void anApplicationEnabledWithoutAllowedNamesFailsToStartSayingWhatToSet(CapturedOutput output) {
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(
				() -> new SpringApplicationBuilder(IngestTestApplication.class, IngestTestApplication.Database.class)
					.properties("server.port=0", "spring.application.name=ingest-test",
							"spring.liquibase.enabled=false", "eventy.web.ingest.enabled=true")
					.run()
					.close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Description:\n\neventy.web.ingest.enabled is true but eventy.web.ingest.allowed-names is empty")
			.contains("Action:\n\nSet eventy.web.ingest.allowed-names to the event types clients may log");
	}

	@Test
	void refusesAnAllowedNameThatIsNoRecordTypeName() {
		this.runner.withPropertyValues("eventy.web.ingest.enabled=true", "eventy.web.ingest.allowed-names=Clicked")
			.run((context) -> assertThat(StartupFailures.boundProperty(context.getStartupFailure()))
				.startsWith("eventy.web.ingest.allowed-names: each must be a record type name"));
	}

	@Test
	void refusesAPathThatIsNoPlainPath() {
		this.runner.withPropertyValues("eventy.web.ingest.path=/event/{name}")
			.run((context) -> assertThat(StartupFailures.boundProperty(context.getStartupFailure()))
				.startsWith("eventy.web.ingest.path: must be a path"));
		this.runner.withPropertyValues("eventy.web.ingest.path=/event/")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void refusesAMaxBodySizeThatIsNotPositive() {
		this.runner.withPropertyValues("eventy.web.ingest.max-body-size=0")
			.run((context) -> assertThat(StartupFailures.boundProperty(context.getStartupFailure()))
				.startsWith("eventy.web.ingest.max-body-size: must be positive"));
	}

	@Test
	void backsOffWithoutSpringMvc() {
		this.runner.withClassLoader(new FilteredClassLoader(RouterFunctions.class))
			.withPropertyValues("eventy.web.ingest.enabled=true", "eventy.web.ingest.allowed-names=urn:shop:*")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ROUTER));
	}

	@Test
	void backsOffOutsideServletApplications() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, EventyAutoConfiguration.class,
					EventyPostgresAutoConfiguration.class, EventyIngestAutoConfiguration.class))
			.withBean(DataSource.class, () -> database)
			.withPropertyValues("spring.application.name=ingest-test", "eventy.web.ingest.enabled=true",
					"eventy.web.ingest.allowed-names=urn:shop:*")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ROUTER));
	}

}
