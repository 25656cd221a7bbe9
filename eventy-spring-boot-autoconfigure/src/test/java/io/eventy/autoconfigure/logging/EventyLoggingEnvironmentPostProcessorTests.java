package io.eventy.autoconfigure.logging;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.mock.env.MockPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class EventyLoggingEnvironmentPostProcessorTests {

	private final StandardEnvironment environment = new StandardEnvironment();

	private final MockPropertySource properties = new MockPropertySource("test");

	EventyLoggingEnvironmentPostProcessorTests() {
		this.environment.getPropertySources().addFirst(this.properties);
	}

	@Test
	void translatesTheGkeFormatNameToTheFormatterClass() {
		this.properties.setProperty("logging.structured.format.console", "gke");
		this.properties.setProperty("logging.structured.format.file", " GKE ");
		postProcess();
		assertThat(this.environment.getProperty("logging.structured.format.console"))
			.isEqualTo(GkeStructuredLogFormatter.class.getName());
		assertThat(this.environment.getProperty("logging.structured.format.file"))
			.isEqualTo(GkeStructuredLogFormatter.class.getName());
	}

	@Test
	void leavesOtherFormatsAlone() {
		this.properties.setProperty("logging.structured.format.console", "ecs");
		postProcess();
		assertThat(this.environment.getProperty("logging.structured.format.console")).isEqualTo("ecs");
		assertThat(this.environment.getProperty("logging.structured.format.file")).isNull();
	}

	@Test
	void showsTraceAndRequestIdsInTheDefaultPattern() {
		postProcess();
		assertThat(this.environment.getProperty("logging.pattern.correlation"))
			.isEqualTo("%correlationId{traceId(32),requestId(36)}");
	}

	@Test
	void addsTheSpanIdWhenSpringBootExpectsCorrelationIdsFromATracer() {
		postProcess();
		// set after the post-processor ran, as Spring Boot's tracing post-processor may
		this.properties.setProperty("logging.expect-correlation-id", "true");
		assertThat(this.environment.getProperty("logging.pattern.correlation"))
			.isEqualTo("%correlationId{traceId(32),spanId(16),requestId(36)}");
	}

	@Test
	void usesTheConfiguredMdcKeys() {
		this.properties.setProperty("eventy.mdc.trace-id-key", "trace_id");
		this.properties.setProperty("eventy.mdc.request-id-key", "request_id");
		postProcess();
		assertThat(this.environment.getProperty("logging.pattern.correlation"))
			.isEqualTo("%correlationId{trace_id(32),request_id(36)}");
	}

	@Test
	void keepsTheCorrelationPatternOfTheApplication() {
		this.properties.setProperty("logging.pattern.correlation", "[%X{traceId}] ");
		postProcess();
		assertThat(this.environment.getProperty("logging.pattern.correlation")).isEqualTo("[%X{traceId}] ");
	}

	private void postProcess() {
		new EventyLoggingEnvironmentPostProcessor().postProcessEnvironment(this.environment, new SpringApplication());
	}

}
