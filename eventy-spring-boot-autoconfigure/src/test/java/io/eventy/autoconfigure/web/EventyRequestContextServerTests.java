package io.eventy.autoconfigure.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"server.tomcat.threads.max=2", "server.tomcat.threads.min-spare=1", "spring.task.execution.pool.core-size=2",
		"spring.application.name=web-test",
		// no tracer: Spring Boot then provides Micrometer's no-op tracer
		"spring.autoconfigure.exclude=org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration" })
class EventyRequestContextServerTests {

	private static final ObjectMapper json = new ObjectMapper();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@LocalServerPort
	private int port;

	@BeforeEach
	void clearLeaks() {
		WebTestApplication.leaks.clear();
	}

	@Test
	void honoursAndEchoesTheRequestIdHeader() throws Exception {
		HttpResponse<String> response = get("/ids", "X-Request-Id", "req-42");
		Map<String, String> ids = body(response);
		assertThat(response.headers().firstValue("X-Request-Id")).hasValue("req-42");
		assertThat(ids).containsEntry("mdcRequestId", "req-42").containsEntry("requestId", "req-42");
	}

	@Test
	void usesTheCorrelationIdHeaderAsTraceIdWithoutATracer() throws Exception {
		Map<String, String> ids = body(get("/ids", "X-Correlation-Id", "corr-7"));
		assertThat(ids).containsEntry("mdcTraceId", "corr-7").containsEntry("traceId", "corr-7");
	}

	@Test
	void generatesIdsWhenNoHeaderCarriesThem() throws Exception {
		HttpResponse<String> response = get("/ids");
		Map<String, String> ids = body(response);
		assertThat(ids.get("traceId")).matches("[0-9a-f]{32}").isEqualTo(ids.get("mdcTraceId"));
		assertThat(UUID.fromString(ids.get("requestId")).version()).isEqualTo(4);
		assertThat(response.headers().firstValue("X-Request-Id")).hasValue(ids.get("requestId"));
	}

	@Test
	void replacesHostileHeaderValuesSentThroughTheServer() throws Exception {
		List<String> hostile = List.of("x".repeat(300), "\"quoted\"", "{\"a\":1}", "a b", "<b>");
		for (String value : hostile) {
			HttpResponse<String> response = get("/ids", "X-Request-Id", value, "X-Correlation-Id", value);
			Map<String, String> ids = body(response);
			assertThat(ids.get("requestId")).as(value).isNotEqualTo(value).satisfies(UUID::fromString);
			assertThat(ids.get("traceId")).as(value).matches("[0-9a-f]{32}");
			assertThat(response.headers().firstValue("X-Request-Id")).hasValue(ids.get("requestId"));
			assertThat(response.body()).doesNotContain(value.length() > 3 ? value : "\"" + value + "\"");
		}
	}

	@Test
	void replacesNonAsciiAndControlCharactersSentOnARawSocket() throws Exception {
		List<byte[]> hostileValues = List.of("caf\u00e9".getBytes(StandardCharsets.UTF_8),
				"\u65e5\u672c".getBytes(StandardCharsets.UTF_8), "a%0d%0aSet-Cookie:%20evil=1".getBytes());
		for (byte[] value : hostileValues) {
			RawResponse response = rawGet(value);
			assertThat(response.status()).as(new String(value, StandardCharsets.UTF_8)).isEqualTo(200);
			String requestId = response.header("x-request-id");
			assertThat(requestId).satisfies(UUID::fromString);
			assertThat(json.readValue(response.body(), Map.class)).containsEntry("requestId", requestId);
			assertNotReflected(response, value);
		}
	}

	@Test
	void neverReflectsCarriageReturnsOrLineFeedsSentOnARawSocket() throws Exception {
		List<String> hostileValues = List.of("abc\rSet-Cookie: evil=1", "abc\nSet-Cookie: evil=1",
				"abc\r\n Set-Cookie: evil=1", "abc\r\n\tevil", "abc\u0000evil", "abc\u0001evil");
		for (String value : hostileValues) {
			RawResponse response = rawGet(value.getBytes(StandardCharsets.ISO_8859_1));
			// Tomcat refuses some of these with 400 itself; either way nothing comes back
			assertThat(response.status()).as(value).isIn(200, 400);
			assertThat(response.headerNames()).doesNotContain("set-cookie");
			assertThat(response.raw()).doesNotContain("evil");
			String requestId = response.header("x-request-id");
			if (requestId != null) {
				// a bare LF ends the header line for Tomcat, leaving the valid id "abc"
				assertThat(requestId).matches("[A-Za-z0-9._:-]{1,128}");
			}
		}
	}

	@Test
	void leaksNoIdIntoTheNextRequestOnASmallThreadPool() throws Exception {
		Set<String> generated = new HashSet<>();
		Set<String> threads = new HashSet<>();
		for (int i = 0; i < 100; i++) {
			HttpResponse<String> response = (i % 2 == 0)
					? get("/ids", "X-Request-Id", "req-" + i, "X-Correlation-Id", "trace-" + i) : get("/ids");
			Map<String, String> ids = body(response);
			String echoed = response.headers().firstValue("X-Request-Id").orElseThrow();
			assertThat(ids.get("mdcRequestId")).isEqualTo(ids.get("requestId")).isEqualTo(echoed);
			assertThat(ids.get("mdcTraceId")).isEqualTo(ids.get("traceId"));
			if (i % 2 == 0) {
				assertThat(echoed).isEqualTo("req-" + i);
				assertThat(ids.get("traceId")).isEqualTo("trace-" + i);
			}
			else {
				assertThat(generated.add(echoed)).as("fresh request id").isTrue();
				assertThat(generated.add(ids.get("traceId"))).as("fresh trace id").isTrue();
				assertThat(ids.get("traceId")).doesNotStartWith("trace-");
			}
			threads.add(ids.get("thread"));
		}
		assertThat(threads).hasSizeLessThanOrEqualTo(2);
		assertThat(WebTestApplication.leaks).isEmpty();
	}

	@Test
	void asyncMethodsRunWithTheIdsOfTheRequest() throws Exception {
		HttpResponse<String> response = get("/async", "X-Request-Id", "req-async", "X-Correlation-Id", "trace-async");
		Map<String, String> ids = body(response);
		assertThat(ids).containsEntry("mdcRequestId", "req-async")
			.containsEntry("requestId", "req-async")
			.containsEntry("mdcTraceId", "trace-async");
		assertThat(ids.get("thread")).startsWith("task-");
	}

	@Test
	void asyncDispatchKeepsTheIdsOfTheRequest() throws Exception {
		HttpResponse<String> response = get("/deferred", "X-Request-Id", "req-deferred");
		Map<String, String> ids = body(response);
		assertThat(response.headers().firstValue("X-Request-Id")).hasValue("req-deferred");
		assertThat(ids).containsEntry("dispatch", "ASYNC")
			.containsEntry("mdcRequestId", "req-deferred")
			.containsEntry("requestId", "req-deferred");
		assertThat(WebTestApplication.leaks).isEmpty();
	}

	@Test
	void restClientsFromTheBuilderSendTheIds() throws Exception {
		Map<String, String> received = body(
				get("/outgoing", "X-Request-Id", "req-out", "X-Correlation-Id", "trace-out"));
		assertThat(received).containsEntry("X-Request-Id", "req-out").containsEntry("X-Correlation-Id", "trace-out");
	}

	@Test
	void restTemplatesFromTheBuilderSendTheIds() throws Exception {
		Map<String, String> received = body(
				get("/outgoing-template", "X-Request-Id", "req-tpl", "X-Correlation-Id", "trace-tpl"));
		assertThat(received).containsEntry("X-Request-Id", "req-tpl").containsEntry("X-Correlation-Id", "trace-tpl");
	}

	@Test
	void webClientsFromTheBuilderSendTheIds() throws Exception {
		Map<String, String> received = body(
				get("/outgoing-webclient", "X-Request-Id", "req-wc", "X-Correlation-Id", "trace-wc"));
		assertThat(received).containsEntry("X-Request-Id", "req-wc").containsEntry("X-Correlation-Id", "trace-wc");
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

	private RawResponse rawGet(byte[] requestIdValue) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			ByteArrayOutputStream request = new ByteArrayOutputStream();
			request.write(("GET /ids HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Request-Id: ")
				.getBytes(StandardCharsets.ISO_8859_1));
			request.write(requestIdValue);
			request.write("\r\nX-Correlation-Id: ".getBytes(StandardCharsets.ISO_8859_1));
			request.write(requestIdValue);
			request.write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			out.write(request.toByteArray());
			out.flush();
			InputStream in = socket.getInputStream();
			return RawResponse.parse(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
		}
	}

	private static void assertNotReflected(RawResponse response, byte[] value) {
		String asLatin1 = new String(value, StandardCharsets.ISO_8859_1);
		assertThat(response.raw()).doesNotContain(asLatin1);
	}

	private record RawResponse(String raw, int status, Map<String, String> headers, String body) {

		static RawResponse parse(String raw) {
			int end = raw.indexOf("\r\n\r\n");
			String head = (end >= 0) ? raw.substring(0, end) : raw;
			String body = (end >= 0) ? raw.substring(end + 4) : "";
			String[] lines = head.split("\r\n");
			int status = Integer.parseInt(lines[0].split(" ")[1]);
			Map<String, String> headers = new java.util.LinkedHashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).strip());
			}
			if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
				body = unchunk(body);
			}
			return new RawResponse(raw, status, headers, body);
		}

		private static String unchunk(String chunked) {
			StringBuilder body = new StringBuilder();
			int position = 0;
			while (true) {
				int lineEnd = chunked.indexOf("\r\n", position);
				int size = Integer.parseInt(chunked.substring(position, lineEnd).strip(), 16);
				if (size == 0) {
					return body.toString();
				}
				body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
				position = lineEnd + 2 + size + 2;
			}
		}

		String header(String name) {
			return this.headers.get(name);
		}

		Set<String> headerNames() {
			return this.headers.keySet();
		}

	}

}
