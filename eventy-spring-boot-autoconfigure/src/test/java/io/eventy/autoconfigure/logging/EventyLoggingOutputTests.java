package io.eventy.autoconfigure.logging;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jspecify.annotations.Nullable;
import io.eventy.autoconfigure.kafka.EventyKafkaAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a running application writes to the console, through Spring Boot's real logging
 * system.
 */
@ExtendWith(OutputCaptureExtension.class)
class EventyLoggingOutputTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

	private static final ObjectMapper json = new ObjectMapper();

	private final Map<Object, Object> systemProperties = new HashMap<>(System.getProperties());

	// Spring Boot does not initialize logging again while another application of the
	// JVM (a cached test context) has it initialized
	@BeforeEach
	void letSpringBootInitializeLogging() {
		LoggingSystem.get(getClass().getClassLoader()).cleanUp();
	}

	// Spring Boot's logging system keeps its settings in system properties, which would
	// carry one test's format into the next test or test class
	@AfterEach
	void restoreSystemPropertiesAndTestLogging() throws Exception {
		System.getProperties().keySet().removeIf((key) -> !this.systemProperties.containsKey(key));
		System.getProperties().putAll(this.systemProperties);
		LoggingSystem.get(getClass().getClassLoader()).cleanUp();
		LoggerContext loggerContext = (LoggerContext) LoggerFactory.getILoggerFactory();
		loggerContext.reset();
		new ContextInitializer(loggerContext).autoConfig();
	}

	@Test
	void gkeFormatWritesOneJsonObjectPerLineWithTheIdsOfTheRequest(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext context = run("logging.structured.format.console=gke",
				"spring.application.name=order-service")) {
			get(context, "/log");
		}
		List<String> lines = output.getOut().lines().filter((line) -> !line.isBlank()).toList();
		assertThat(lines).isNotEmpty();
		JsonNode requestLine = null;
		for (String line : lines) {
			JsonNode node = json.readTree(line);
			assertThat(node.isObject()).as(line).isTrue();
			assertThat(node.has("severity") && node.has("message") && node.has("time") && node.has("logger")
					&& node.has("thread"))
				.as(line)
				.isTrue();
			if ("handling the request".equals(node.get("message").asText())) {
				requestLine = node;
			}
		}
		assertThat(requestLine).isNotNull();
		assertThat(requestLine.get("traceId").asText()).isEqualTo(TRACE_ID);
		assertThat(requestLine.get("logging.googleapis.com/trace").asText()).isEqualTo(TRACE_ID);
		assertThat(requestLine.get("requestId").asText()).isEqualTo("req-logged");
		assertThat(requestLine.get("severity").asText()).isEqualTo("WARNING");
		assertThat(requestLine.get("exception").asText()).startsWith("java.lang.IllegalStateException: shown");
		assertThat(requestLine.get("serviceContext").get("service").asText()).isEqualTo("order-service");
	}

	@Test
	void defaultConsolePatternShowsTraceSpanAndRequestIds(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext context = run()) {
			get(context, "/log");
		}
		String line = output.getOut()
			.lines()
			.filter((candidate) -> candidate.contains("handling the request"))
			.findFirst()
			.orElseThrow();
		assertThat(line)
			.containsPattern(Pattern.compile("\\[" + TRACE_ID + "-[0-9a-f]{16}-req-logged\\s{26}\\] .*LogController"));
	}

	@Test
	void defaultConsolePatternShowsTraceAndRequestIdsWhenTracingIsOff(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext context = run("management.tracing.export.enabled=false",
				"spring.autoconfigure.exclude=org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration")) {
			get(context, "/log");
		}
		String line = output.getOut()
			.lines()
			.filter((candidate) -> candidate.contains("handling the request"))
			.findFirst()
			.orElseThrow();
		assertThat(line).contains("[corr-logged" + " ".repeat(21) + "-req-logged" + " ".repeat(26) + "] ");
	}

	private static ConfigurableApplicationContext run(String... properties) {
		// Spring Boot's own logging configuration, not the logback-test.xml of the core
		// test jar
		DefaultResourceLoader resourceLoader = new DefaultResourceLoader(
				new HidingClassLoader(EventyLoggingOutputTests.class.getClassLoader(), "logback-test.xml"));
		return new SpringApplicationBuilder(LoggingTestApplication.class).resourceLoader(resourceLoader)
			.properties("server.port=0", "spring.main.banner-mode=off", "management.tracing.sampling.probability=1.0",
					"spring.application.name=logging-test")
			.properties(properties)
			.run();
	}

	@Test
	void servletContainersLineAboutAnUncaughtExceptionShowsTheIdsOfTheRequest(CapturedOutput output) throws Exception {
		// one request thread, so that the requests after the failed one run where it ran
		try (ConfigurableApplicationContext context = run("server.tomcat.threads.max=1",
				"server.tomcat.threads.min-spare=1")) {
			assertThat(send(context, "/fail", "req-failed").statusCode()).isEqualTo(500);
			assertThat(send(context, "/log", "req-after").statusCode()).isEqualTo(200);
			assertThat(send(context, "/plain", null).statusCode()).isEqualTo(200);
		}
		List<String> lines = output.getOut().lines().toList();
		String failure = lines.stream()
			.filter((line) -> line.contains("ERROR") && line.contains("uncaught on purpose"))
			.findFirst()
			.orElseThrow();
		assertThat(failure).contains(TRACE_ID).contains("req-failed");
		// nothing of the failed request stays on the pooled thread
		assertThat(lines).filteredOn((line) -> line.contains("a plain request"))
			.singleElement()
			.satisfies((line) -> assertThat(line).doesNotContain("req-failed")
				.doesNotContain("req-after")
				.doesNotContain(TRACE_ID));
	}

	private static void get(ConfigurableApplicationContext context, String path) throws Exception {
		assertThat(send(context, path, "req-logged").statusCode()).isEqualTo(200);
	}

	private static HttpResponse<String> send(ConfigurableApplicationContext context, String path,
			@Nullable String requestId) throws Exception {
		String port = context.getEnvironment().getProperty("local.server.port");
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(30));
		if (requestId != null) {
			request.header("traceparent", TRACEPARENT)
				.header("X-Request-Id", requestId)
				.header("X-Correlation-Id", "corr-logged");
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	static final class HidingClassLoader extends ClassLoader {

		private final String hidden;

		HidingClassLoader(ClassLoader parent, String hidden) {
			super(parent);
			this.hidden = hidden;
		}

		@Override
		public URL getResource(String name) {
			return this.hidden.equals(name) ? null : super.getResource(name);
		}

		@Override
		public Enumeration<URL> getResources(String name) throws IOException {
			return this.hidden.equals(name) ? Collections.emptyEnumeration() : super.getResources(name);
		}

	}

	@SpringBootConfiguration
	// the web side of Eventy alone: no database, and no Kafka store by default without
	// one
	@EnableAutoConfiguration(exclude = { DataSourceAutoConfiguration.class, EventyKafkaAutoConfiguration.class })
	@Import(LogController.class)
	static class LoggingTestApplication {

	}

	@RestController
	static class LogController {

		private static final Logger logger = LoggerFactory.getLogger(LogController.class);

		@GetMapping("/log")
		String log() {
			logger.warn("handling the request", new IllegalStateException("shown"));
			return "logged";
		}

		@GetMapping("/fail")
		String fail() {
			throw new IllegalStateException("uncaught on purpose");
		}

		@GetMapping("/plain")
		String plain() {
			logger.warn("a plain request");
			return "plain";
		}

	}

}
