package io.eventy.autoconfigure.web.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.store.EventStore;
import io.eventy.store.StoredRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP ingest through a real server on the PostgreSQL store: what is stored, with which
 * ids, and what each kind of bad request is answered.
 */
@SpringBootTest(classes = { IngestTestApplication.class, IngestTestApplication.Database.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=ingest-test", "spring.liquibase.enabled=false",
				"eventy.web.ingest.enabled=true",
				"eventy.web.ingest.allowed-names=urn:ingest:Clicked,urn:ingest:Tagged,urn:ingest:Check*,urn:ingest:Missing",
				"eventy.web.ingest.max-body-size=2KB",
				// no tracer: the trace id comes from X-Correlation-Id
				"spring.autoconfigure.exclude=org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration" })
@ExtendWith(OutputCaptureExtension.class)
class EventyIngestServerTests {

	private static final int MAX_BODY_SIZE = 2048;

	private static final ObjectMapper json = new ObjectMapper();

	/** What a client must never see of how the service is built. */
	private static final String IMPLEMENTATION_NAMES = "(?i:jackson|java\\.|io\\.eventy|exception|sql|eventy_)|`"
			+ "|\\bint\\b|\\bString\\b|Clicked\\b.*\\bclass";

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@LocalServerPort
	private int port;

	@Autowired
	private EventStore store;

	@Autowired
	private DataSource dataSource;

	@Test
	void storesAnEventNamedInThePathWithTheRequestsIdsAndAnswersAcceptedWithItsUuid() throws Exception {
		String requestId = "req-" + UUID.randomUUID();
		String traceId = UUID.randomUUID().toString().replace("-", "");
		HttpResponse<String> response = this.client.send(HttpRequest.newBuilder(uri("/event/log/urn:ingest:Clicked"))
			.header("Content-Type", "application/json")
			.header("X-Request-Id", requestId)
			.header("X-Correlation-Id", traceId)
			.POST(BodyPublishers.ofString(
					"{\"element\": \"buy\", \"x\": 12, \"primary\": true, \"button\": \"LEFT\", \"day\": \"2026-12-05\"}"))
			.build(), BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		JsonNode body = json.readTree(response.body());
		assertThat(body.size()).isEqualTo(1);
		StoredRecord stored = stored(UUID.fromString(body.path("uuid").asText()));
		assertThat(stored.record().qualifiedName()).isEqualTo("urn:ingest:Clicked");
		assertThat(stored.record().correlationId()).isEqualTo(traceId);
		assertThat(stored.requestId()).isEqualTo(requestId);
		assertThat(stored.stream()).isNull();
		assertThat(stored.payload(Clicked.class))
			.isEqualTo(new Clicked("buy", 12, true, Clicked.Button.LEFT, LocalDate.of(2026, 12, 5)));
	}

	@Test
	void convertsQueryParametersToThePayloadsTypes() throws Exception {
		HttpResponse<String> response = post(
				"/event/log?__event__=urn:ingest:Clicked&element=sign+up&x=7&primary=false&button=RIGHT&day=2026-01-31",
				null, "");
		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(stored(response).payload(Clicked.class))
			.isEqualTo(new Clicked("sign up", 7, false, Clicked.Button.RIGHT, LocalDate.of(2026, 1, 31)));
	}

	@Test
	void convertsFormParametersToThePayloadsTypes() throws Exception {
		HttpResponse<String> response = post("/event/log", "application/x-www-form-urlencoded",
				"__event__=urn%3Aingest%3AClicked&element=caf%C3%A9&x=3&primary=true&button=LEFT&day=2025-02-28");
		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(stored(response).payload(Clicked.class))
			.isEqualTo(new Clicked("café", 3, true, Clicked.Button.LEFT, LocalDate.of(2025, 2, 28)));
	}

	@Test
	void makesAParameterGivenSeveralTimesAnArray() throws Exception {
		HttpResponse<String> response = post("/event/log?__event__=urn:ingest:Tagged&tags=new&tags=sale", null, "");
		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(stored(response).payload(Tagged.class)).isEqualTo(new Tagged(List.of("new", "sale")));
	}

	@Test
	void acceptsFormParametersWithTheNameInThePath() throws Exception {
		HttpResponse<String> response = post("/event/log/urn:ingest:Clicked?element=menu&x=0&button=LEFT",
				"application/x-www-form-urlencoded", "primary=true&day=2025-03-01");
		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(stored(response).payload(Clicked.class))
			.isEqualTo(new Clicked("menu", 0, true, Clicked.Button.LEFT, LocalDate.of(2025, 3, 1)));
	}

	@Test
	void rejectsInvalidDataNamingEachViolation() throws Exception {
		HttpResponse<String> response = postJson("/event/log/urn:ingest:Clicked",
				"{\"element\": \" \", \"x\": -1, \"primary\": true, \"button\": \"LEFT\", \"day\": \"2026-12-05\"}");
		assertThat(violations(response, 400)).containsExactlyInAnyOrder("element: must not be blank",
				"x: must be greater than or equal to 0");
	}

	@Test
	void namesAPrimitiveFieldMissingFromTheJsonAsRequired() throws Exception {
		HttpResponse<String> missing = postJson("/event/log/urn:ingest:Clicked",
				"{\"element\": \"buy\", \"primary\": true, \"button\": \"LEFT\", \"day\": \"2026-12-05\"}");
		assertThat(violations(missing, 400)).containsExactly("x: is required");
		HttpResponse<String> none = postJson("/event/log/urn:ingest:Clicked",
				"{\"element\": \"buy\", \"x\": null, \"primary\": true, \"button\": \"LEFT\", \"day\": \"2026-12-05\"}");
		assertThat(violations(none, 400)).containsExactly("x: is required");
	}

	@Test
	void rejectsParametersThatDoNotConvertNamingEach() throws Exception {
		assertThat(
				violations(post("/event/log?__event__=urn:ingest:Clicked&element=a&x=lots&button=LEFT", null, ""), 400))
			.containsExactly("x: must be an integer");
		assertThat(
				violations(post("/event/log?__event__=urn:ingest:Clicked&element=a&x=1&button=MIDDLE", null, ""), 400))
			.containsExactly("button: must be one of LEFT, RIGHT");
		assertThat(violations(
				post("/event/log?__event__=urn:ingest:Clicked&element=a&x=1&button=LEFT&day=yesterday", null, ""), 400))
			.containsExactly("day: must be a date or time in ISO-8601");
	}

	@Test
	void rejectsAFieldThePayloadDoesNotHave() throws Exception {
		assertThat(violations(postJson("/event/log/urn:ingest:Clicked",
				"{\"element\": \"a\", \"x\": 1, \"primary\": true,"
						+ " \"button\": \"LEFT\", \"day\": \"2026-12-05\", \"colour\": \"red\"}"),
				400))
			.containsExactly("colour: is not a known field");
	}

	@Test
	void rejectsMalformedJsonNamingWhere() throws Exception {
		assertThat(violations(postJson("/event/log/urn:ingest:Clicked", "{\"element\": }"), 400))
			.containsExactly("element: is not valid JSON (line 1, column 13)");
		assertThat(violations(postJson("/event/log/urn:ingest:Clicked", "{\"element\": \"a\""), 400)).singleElement()
			.satisfies((violation) -> assertThat(violation).startsWith("body: is not valid JSON: it ends too early"));
	}

	@Test
	void rejectsAFieldGivenTwice() throws Exception {
		assertThat(
				violations(postJson("/event/log/urn:ingest:Clicked", "{\"element\": \"a\", \"element\": \"b\"}"), 400))
			.containsExactly("element: is given twice");
	}

	@Test
	void rejectsQueryParametersBesideAJsonBody() throws Exception {
		assertThat(violations(postJson("/event/log/urn:ingest:Clicked?x=1", "{\"element\": \"a\"}"), 400))
			.containsExactly("x: is not allowed beside a JSON body, put it in the body");
	}

	@Test
	void refusesABodyThatIsNeitherJsonNorForm() throws Exception {
		assertProblem(post("/event/log/urn:ingest:Clicked", "text/plain", "element=a"), 415);
	}

	@Test
	void rejectsJsonThatIsNoObject() throws Exception {
		assertThat(violations(postJson("/event/log/urn:ingest:Clicked", "[1, 2]"), 400))
			.containsExactly("body: must be an object");
		assertThat(violations(postJson("/event/log/urn:ingest:Clicked", ""), 400))
			.containsExactly("body: must be an object");
	}

	@Test
	void rejectsAFormWithoutTheEventsName() throws Exception {
		assertThat(violations(post("/event/log?element=a", null, ""), 400))
			.containsExactly("__event__: must name the event type, such as urn:shop:Clicked");
	}

	@Test
	void answersUnknownAndNotAllowedNamesWithTheSameNotFound() throws Exception {
		String body = "{\"secret\": \"s\"}";
		List<HttpResponse<String>> responses = List.of(
				// registered, not allowed
				postJson("/event/log/urn:ingest:Hidden", body),
				// allowed, not registered
				postJson("/event/log/urn:ingest:Missing", body),
				// neither
				postJson("/event/log/urn:ingest:Teleported", body),
				post("/event/log?__event__=urn:ingest:Hidden&secret=s", null, ""),
				post("/event/log", "application/x-www-form-urlencoded", "__event__=urn:ingest:Missing&secret=s"));
		for (HttpResponse<String> response : responses) {
			assertProblem(response, 404);
		}
		assertThat(responses.stream().map(HttpResponse::body).distinct()).hasSize(1);
		assertThat(responses.get(0).body()).doesNotContain("Hidden").doesNotContain("Missing");
	}

	@Test
	void answersNotFoundForAnAllowedTypeThatIsNoEvent() throws Exception {
		HttpResponse<String> response = postJson("/event/log/urn:ingest:CheckStock", "{\"sku\": \"x\"}");
		assertProblem(response, 404);
		assertThat(response.body()).isEqualTo(postJson("/event/log/urn:ingest:Hidden", "{}").body());
	}

	@Test
	void acceptsABodyOfTheLimitWithoutAContentLength() throws IOException {
		String event = "{\"element\": \"";
		String end = "\", \"x\": 1, \"primary\": true, \"button\": \"LEFT\", \"day\": \"2026-12-05\"}";
		String body = event + "e".repeat(MAX_BODY_SIZE - event.length() - end.length()) + end;
		assertThat(body).hasSize(MAX_BODY_SIZE);
		assertThat(postChunked(body.getBytes(StandardCharsets.US_ASCII), true)).startsWith("HTTP/1.1 202 ");
	}

	@Test
	void refusesABodyDeclaredLargerThanTheLimitBeforeItIsSent() throws IOException {
		// only the headers are sent: the answer cannot wait for the body
		String response = exchange(
				"POST /event/log/urn:ingest:Clicked HTTP/1.1\r\nHost: localhost\r\n"
						+ "Content-Type: application/json\r\nContent-Length: " + (1000 * MAX_BODY_SIZE) + "\r\n\r\n",
				new byte[0], false);
		assertTooLarge(response);
	}

	@Test
	void refusesAChunkedBodyOnceItGrowsLargerThanTheLimitBeforeItEnds() throws IOException {
		// over the limit and no last chunk: the answer cannot wait for the end
		byte[] body = ("{\"element\": \"" + "a".repeat(2 * MAX_BODY_SIZE)).getBytes(StandardCharsets.US_ASCII);
		assertTooLarge(postChunked(body, false));
	}

	@Test
	void answersServiceUnavailableWithoutDetailsWhenTheStoreFailsAndLogsTheRequestsIds(CapturedOutput output)
			throws Exception {
		String requestId = "req-" + UUID.randomUUID();
		HttpResponse<String> response;
		execute("ALTER TABLE eventy_records RENAME TO eventy_records_away");
		try {
			response = this.client.send(HttpRequest
				.newBuilder(uri("/event/log?__event__=urn:ingest:Clicked"
						+ "&element=a&x=1&primary=true&button=LEFT&day=2026-12-05"))
				.header("X-Request-Id", requestId)
				.POST(BodyPublishers.noBody())
				.build(), BodyHandlers.ofString());
		}
		finally {
			execute("ALTER TABLE eventy_records_away RENAME TO eventy_records");
		}
		assertProblem(response, 503);
		assertThat(json.readTree(response.body()).path("detail").asText())
			.isEqualTo("The event could not be stored; try again later");
		assertThat(output.getOut().lines())
			.anySatisfy((line) -> assertThat(line).contains("Could not store event urn:ingest:Clicked sent over HTTP")
				.contains(requestId));
	}

	private void assertTooLarge(String response) {
		assertThat(response).startsWith("HTTP/1.1 413 ")
			.containsIgnoringCase("Content-Type: application/problem+json")
			.contains("\"title\":\"Request body too large\"")
			.contains("\"detail\":\"The request body must not be larger than " + MAX_BODY_SIZE + " bytes\"")
			.contains("\"maxBodySize\":" + MAX_BODY_SIZE);
	}

	private List<String> violations(HttpResponse<String> response, int status) throws IOException {
		assertProblem(response, status);
		JsonNode violations = json.readTree(response.body()).path("violations");
		return StreamSupport.stream(violations.spliterator(), false).map(JsonNode::asText).toList();
	}

	private static void assertProblem(HttpResponse<String> response, int status) throws IOException {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = json.readTree(response.body());
		assertThat(problem.path("status").asInt()).isEqualTo(status);
		assertThat(problem.path("title").asText()).isNotBlank();
		assertThat(problem.path("detail").asText()).isNotBlank();
		assertThat(response.body()).doesNotContainPattern(IMPLEMENTATION_NAMES);
	}

	private StoredRecord stored(HttpResponse<String> response) throws IOException {
		return stored(UUID.fromString(json.readTree(response.body()).path("uuid").asText()));
	}

	private StoredRecord stored(UUID uuid) {
		return this.store.readAll(0, 10_000)
			.stream()
			.filter((record) -> record.record().uuid().equals(uuid))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No record " + uuid + " was stored"));
	}

	private void execute(String sql) throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private HttpResponse<String> postJson(String path, String body) throws IOException, InterruptedException {
		return post(path, "application/json", body);
	}

	private HttpResponse<String> post(String path, String contentType, String body)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(BodyPublishers.ofString(body));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		return this.client.send(request.build(), BodyHandlers.ofString());
	}

	/**
	 * POST a JSON body with {@code Transfer-Encoding: chunked}, so with no
	 * {@code Content-Length}, in chunks of 512 bytes.
	 * @param body the body
	 * @param end whether to send the last chunk that ends the body
	 * @return the raw response
	 */
	private String postChunked(byte[] body, boolean end) throws IOException {
		ByteArrayOutputStream chunks = new ByteArrayOutputStream();
		for (int offset = 0; offset < body.length; offset += 512) {
			int length = Math.min(512, body.length - offset);
			chunks.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
			chunks.write(body, offset, length);
			chunks.write("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		if (end) {
			chunks.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		return exchange(
				"POST /event/log/urn:ingest:Clicked HTTP/1.1\r\nHost: localhost\r\n"
						+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
				chunks.toByteArray(), end);
	}

	/**
	 * Send a request over a socket of its own and read the response: until the connection
	 * closes, or the end of its chunked body.
	 */
	private String exchange(String head, byte[] body, boolean close) throws IOException {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(head.getBytes(StandardCharsets.US_ASCII));
			out.write(body);
			out.flush();
			if (close) {
				socket.shutdownOutput();
			}
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream response = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
				response.write(buffer, 0, read);
				String text = response.toString(StandardCharsets.US_ASCII);
				if (text.endsWith("\r\n0\r\n\r\n") || (text.contains("\r\n\r\n") && text.endsWith("}"))) {
					break;
				}
			}
			return response.toString(StandardCharsets.UTF_8);
		}
	}

}
