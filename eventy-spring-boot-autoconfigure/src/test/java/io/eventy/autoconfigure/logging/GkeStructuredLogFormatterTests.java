package io.eventy.autoconfigure.logging;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

import org.springframework.boot.logging.structured.StructuredLogFormatter;
import org.springframework.boot.logging.structured.StructuredLogFormatterFactory;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class GkeStructuredLogFormatterTests {

	private static final ObjectMapper json = new ObjectMapper();

	private final LoggerContext loggerContext = new LoggerContext();

	private final ThrowableProxyConverter throwableProxyConverter = new ThrowableProxyConverter();

	private final MockEnvironment environment = new MockEnvironment();

	GkeStructuredLogFormatterTests() {
		this.loggerContext.setMDCAdapter(new LogbackMDCAdapter());
		this.throwableProxyConverter.setContext(this.loggerContext);
		this.throwableProxyConverter.start();
	}

	@AfterEach
	void stop() {
		this.throwableProxyConverter.stop();
		this.loggerContext.stop();
	}

	@Test
	void writesOneJsonObjectOnOneLineWithTheCloudLoggingFields() throws Exception {
		LoggingEvent event = event(Level.INFO, "order {} placed\nsecond line", null, "42");
		event.setMDCPropertyMap(Map.of("traceId", "4bf92f3577b34da6a3ce929d0e0e4736", "requestId", "req-1"));
		String line = formatter().format(event);
		assertThat(line).endsWith("\n");
		assertThat(line.strip()).doesNotContain("\n");
		JsonNode node = json.readTree(line);
		assertThat(node.get("severity").asText()).isEqualTo("INFO");
		assertThat(node.get("message").asText()).isEqualTo("order 42 placed\nsecond line");
		assertThat(node.get("time").asText()).isEqualTo("2025-11-24T16:00:00.123Z");
		assertThat(node.get("logging.googleapis.com/trace").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
		assertThat(node.get("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
		assertThat(node.get("requestId").asText()).isEqualTo("req-1");
		assertThat(node.get("logger").asText()).isEqualTo("com.example.Orders");
		assertThat(node.get("thread").asText()).isEqualTo("http-nio-8080-exec-1");
		assertThat(node.has("exception")).isFalse();
	}

	@Test
	void writesTheStackTraceAsException() throws Exception {
		LoggingEvent event = event(Level.ERROR, "failed", new IllegalStateException("boom"));
		String line = formatter().format(event);
		assertThat(line.strip()).doesNotContain("\n");
		JsonNode node = json.readTree(line);
		assertThat(node.get("severity").asText()).isEqualTo("ERROR");
		assertThat(node.get("exception").asText()).startsWith("java.lang.IllegalStateException: boom")
			.contains("\tat io.eventy.autoconfigure.logging.GkeStructuredLogFormatterTests");
	}

	@Test
	void mapsLogbackLevelsToCloudLoggingSeverities() throws Exception {
		StructuredLogFormatter<ILoggingEvent> formatter = formatter();
		Map<Level, String> expected = Map.of(Level.TRACE, "DEBUG", Level.DEBUG, "DEBUG", Level.INFO, "INFO", Level.WARN,
				"WARNING", Level.ERROR, "ERROR");
		for (Map.Entry<Level, String> entry : expected.entrySet()) {
			JsonNode node = json.readTree(formatter.format(event(entry.getKey(), "m", null)));
			assertThat(node.get("severity").asText()).as(entry.getKey().toString()).isEqualTo(entry.getValue());
		}
	}

	@Test
	void namesTheTraceResourceWhenTheProjectIsKnown() throws Exception {
		this.environment.setProperty("GOOGLE_CLOUD_PROJECT", "shop-prod");
		LoggingEvent event = event(Level.INFO, "m", null);
		event.setMDCPropertyMap(Map.of("traceId", "4bf92f3577b34da6a3ce929d0e0e4736"));
		JsonNode node = json.readTree(formatter().format(event));
		assertThat(node.get("logging.googleapis.com/trace").asText())
			.isEqualTo("projects/shop-prod/traces/4bf92f3577b34da6a3ce929d0e0e4736");
		assertThat(node.get("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
	}

	@Test
	void readsIdsUnderConfiguredMdcKeysAndAddsTheRestOfTheMdcOnce() throws Exception {
		this.environment.setProperty("eventy.mdc.trace-id-key", "trace_id");
		this.environment.setProperty("eventy.mdc.request-id-key", "request_id");
		LoggingEvent event = event(Level.INFO, "m", null);
		Map<String, String> mdc = new LinkedHashMap<>();
		mdc.put("trace_id", "t-1");
		mdc.put("request_id", "r-1");
		mdc.put("spanId", "00f067aa0ba902b7");
		mdc.put("tenant", "acme");
		event.setMDCPropertyMap(mdc);
		event.addKeyValuePair(new KeyValuePair("orderId", "42"));
		JsonNode node = json.readTree(formatter().format(event));
		assertThat(node.get("traceId").asText()).isEqualTo("t-1");
		assertThat(node.get("requestId").asText()).isEqualTo("r-1");
		assertThat(node.get("logging.googleapis.com/spanId").asText()).isEqualTo("00f067aa0ba902b7");
		assertThat(node.get("tenant").asText()).isEqualTo("acme");
		assertThat(node.get("orderId").asText()).isEqualTo("42");
		assertThat(node.has("trace_id")).isFalse();
		assertThat(node.has("request_id")).isFalse();
		assertThat(node.has("spanId")).isFalse();
	}

	@Test
	void leavesTheIdsOutOfLinesLoggedOutsideAnyContext() throws Exception {
		JsonNode node = json.readTree(formatter().format(event(Level.INFO, "startup", null)));
		assertThat(node.has("traceId")).isFalse();
		assertThat(node.has("requestId")).isFalse();
		assertThat(node.has("logging.googleapis.com/trace")).isFalse();
	}

	@Test
	void namesTheServiceForErrorReporting() throws Exception {
		this.environment.setProperty("spring.application.name", "order-service");
		JsonNode node = json.readTree(formatter().format(event(Level.INFO, "m", null)));
		assertThat(node.get("serviceContext").get("service").asText()).isEqualTo("order-service");
	}

	private StructuredLogFormatter<ILoggingEvent> formatter() {
		StructuredLogFormatterFactory<ILoggingEvent> factory = new StructuredLogFormatterFactory<>(ILoggingEvent.class,
				this.environment,
				(parameters) -> parameters.add(ThrowableProxyConverter.class, this.throwableProxyConverter),
				(commonFormatters) -> {
				});
		StructuredLogFormatter<ILoggingEvent> formatter = factory.get(GkeStructuredLogFormatter.class.getName());
		assertThat(formatter).isInstanceOf(GkeStructuredLogFormatter.class);
		return formatter;
	}

	private LoggingEvent event(Level level, String message, Throwable throwable, Object... arguments) {
		LoggingEvent event = new LoggingEvent("fqcn", this.loggerContext.getLogger("com.example.Orders"), level,
				message, throwable, arguments);
		event.setThreadName("http-nio-8080-exec-1");
		event.setInstant(Instant.parse("2025-11-24T16:00:00.123Z"));
		return event;
	}

}
