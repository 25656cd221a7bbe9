package io.eventy.autoconfigure.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.context.MicrometerTracingBridge;
import io.eventy.context.TracingBridge;
import io.eventy.context.Traceparent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.tomcat.threads.max=2", "management.tracing.sampling.probability=1.0",
				"spring.application.name=web-test" })
@AutoConfigureTracing
class EventyRequestContextTracingTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

	private static final ObjectMapper json = new ObjectMapper();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@LocalServerPort
	private int port;

	@Autowired
	private TracingBridge tracingBridge;

	@BeforeEach
	void clearLeaks() {
		WebTestApplication.leaks.clear();
	}

	@Test
	void usesTheMicrometerTracingBridge() {
		assertThat(this.tracingBridge).isInstanceOf(MicrometerTracingBridge.class);
	}

	@Test
	void takesTheTraceIdOfAnIncomingTraceparent() throws Exception {
		HttpResponse<String> response = get("/ids", "traceparent", TRACEPARENT, "X-Request-Id", "req-traced");
		Map<String, String> ids = body(response);
		assertThat(ids).containsEntry("mdcTraceId", TRACE_ID)
			.containsEntry("traceId", TRACE_ID)
			.containsEntry("tracerTraceId", TRACE_ID)
			.containsEntry("mdcRequestId", "req-traced");
		Traceparent serverSpan = Traceparent.parse(ids.get("traceparent"));
		assertThat(serverSpan).isNotNull();
		assertThat(serverSpan.traceId()).isEqualTo(TRACE_ID);
		assertThat(serverSpan.spanId()).isNotEqualTo("00f067aa0ba902b7");
		assertThat(response.headers().firstValue("X-Request-Id")).hasValue("req-traced");
	}

	@Test
	void prefersTheTracersTraceIdToTheCorrelationIdHeader() throws Exception {
		Map<String, String> ids = body(get("/ids", "traceparent", TRACEPARENT, "X-Correlation-Id", "corr-ignored"));
		assertThat(ids).containsEntry("traceId", TRACE_ID).containsEntry("mdcTraceId", TRACE_ID);
	}

	@Test
	void agreesWithTheTracersNewTraceWhenNoTraceparentArrives() throws Exception {
		Map<String, String> ids = body(get("/ids"));
		assertThat(ids.get("tracerTraceId")).matches("[0-9a-f]{32}");
		assertThat(ids).containsEntry("traceId", ids.get("tracerTraceId"))
			.containsEntry("mdcTraceId", ids.get("tracerTraceId"));
		assertThat(Traceparent.parse(ids.get("traceparent")).traceId()).isEqualTo(ids.get("tracerTraceId"));
	}

	@Test
	void leaksNoIdIntoTheNextRequestWhenTraced() throws Exception {
		for (int i = 0; i < 20; i++) {
			String traceId = String.format("%016x%016x", i + 1, i + 1);
			Map<String, String> ids = (i % 2 == 0)
					? body(get("/ids", "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")) : body(get("/ids"));
			if (i % 2 == 0) {
				assertThat(ids).containsEntry("traceId", traceId);
			}
			else {
				assertThat(ids.get("traceId")).isNotEqualTo(String.format("%016x%016x", i, i))
					.isEqualTo(ids.get("tracerTraceId"));
			}
		}
		assertThat(WebTestApplication.leaks).isEmpty();
	}

	private HttpResponse<String> get(String path, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30));
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		HttpResponse<String> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response;
	}

	private static Map<String, String> body(HttpResponse<String> response) throws IOException {
		return json.readValue(response.body(), new TypeReference<>() {
		});
	}

}
