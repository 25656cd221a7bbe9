package io.eventy.autoconfigure;

import io.eventy.autoconfigure.postgres.EventyPostgresAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class EventyConfigurationFailureAnalyzerTests {

	@Test
	void reportsAMissingDataSourceWithTheActionThatFixesIt(CapturedOutput output) {
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> start("spring.application.name=order-service", "eventy.store.type=postgres"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Description:\n\n'eventy.store.type' is 'postgres', so Eventy stores records in PostgreSQL, "
					+ "but there is no DataSource.")
			.contains("Action:\n\nConfigure the database with 'spring.datasource.url'")
			.contains("depend on eventy-spring-boot-starter-kafka instead and set 'eventy.store.type=kafka'");
	}

	@Test
	void reportsAMissingServiceNameWithTheActionThatFixesIt(CapturedOutput output) {
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> start("eventy.store.type=kafka"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("neither 'eventy.service.name' nor 'spring.application.name' is set")
			.contains("Action:\n\nSet 'spring.application.name'");
	}

	private static void start(String... properties) {
		new SpringApplicationBuilder(ApplicationConfiguration.class).web(WebApplicationType.NONE)
			.properties(properties)
			.run()
			.close();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ JacksonAutoConfiguration.class, EventyAutoConfiguration.class,
			EventyPostgresAutoConfiguration.class })
	static class ApplicationConfiguration {

	}

}
