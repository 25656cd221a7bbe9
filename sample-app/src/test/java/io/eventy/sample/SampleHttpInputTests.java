package io.eventy.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.RequestEntity;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the sample answers to bad HTTP input, through real HTTP on the running service: an
 * RFC 9457 problem detail ({@code application/problem+json}) that says what is wrong in
 * the client's terms, never a 500 and never a Java or Jackson name.
 */
@AutoConfigureTestRestTemplate
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.demo.enabled=false")
class SampleHttpInputTests {

	/** {@code sample.http.max-body-size}'s default, 1 MiB. */
	private static final int MAX_BODY_SIZE = 1024 * 1024;

	/** What a client must never see of how the service is built. */
	private static final String IMPLEMENTATION_NAMES = "(?i:jackson|java\\.|io\\.eventy|exception)|`|\\blong\\b"
			+ "|\\bString\\b|PlaceOrder";

	@Autowired
	private TestRestTemplate http;

	@LocalServerPort
	private int port;

	@Test
	void rejectsABlankOrderIdInThePathSayingSo() {
		ResponseEntity<JsonNode> response = this.http.getForEntity("/orders/{id}/history", JsonNode.class, " ");
		assertProblem(response, HttpStatus.BAD_REQUEST);
		assertThat(violations(response)).containsExactly("orderId: must not be blank");
	}

	@Test
	void rejectsAnOrderIdLongerThanAStreamIdInThePathSayingSo() {
		ResponseEntity<JsonNode> response = this.http.getForEntity("/orders/{id}/summary", JsonNode.class,
				"x".repeat(201));
		assertProblem(response, HttpStatus.BAD_REQUEST);
		assertThat(violations(response)).containsExactly("orderId: must be at most 200 characters, was 201");
	}

	@Test
	void rejectsAnOrderIdLongerThanAStreamIdInTheBody() {
		String orderId = "y".repeat(201);
		ResponseEntity<JsonNode> response = this.http.postForEntity("/orders",
				Map.of("orderId", orderId, "customer", "Ada", "amountCents", 1200), JsonNode.class);
		assertProblem(response, HttpStatus.BAD_REQUEST);
		assertThat(violations(response)).containsExactly("orderId: must be at most 200 characters, was 201");
	}

	@Test
	void rejectsABlankOrderIdInTheBody() {
		ResponseEntity<JsonNode> response = this.http.postForEntity("/orders",
				Map.of("orderId", " \t", "customer", "Ada", "amountCents", 1200), JsonNode.class);
		assertProblem(response, HttpStatus.BAD_REQUEST);
		assertThat(violations(response)).containsExactly("orderId: must not be blank");
	}

	@Test
	void acceptsAnOrderIdOfTheLongestStreamId() {
		String orderId = UUID.randomUUID() + "z".repeat(200 - 36);
		ResponseEntity<JsonNode> response = this.http.postForEntity("/orders",
				Map.of("orderId", orderId, "customer", "Ada", "amountCents", 1200), JsonNode.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(this.http.getForEntity("/orders/{id}/history", JsonNode.class, orderId).getStatusCode())
			.isEqualTo(HttpStatus.OK);
	}

	@Test
	void rejectsMalformedJsonNamingTheFieldAndWhere() {
		ResponseEntity<JsonNode> response = postJson("/orders", "{\"customer\": }");
		assertProblem(response, HttpStatus.BAD_REQUEST);
		assertThat(violations(response)).containsExactly("customer: is not valid JSON (line 1, column 14)");
	}

	@Test
	void rejectsJsonThatEndsTooEarly() {
		ResponseEntity<JsonNode> response = postJson("/orders", "{\"customer\": \"Ada\", \"amountCents\": 5");
		assertProblem(response, HttpStatus.BAD_REQUEST);
		assertThat(violations(response)).singleElement()
			.satisfies((violation) -> assertThat(violation).startsWith("body: is not valid JSON: it ends too early"));
	}

	@Test
	void rejectsAValueOfTheWrongTypeNamingTheFieldAndTheTypeInJsonTerms() {
		ResponseEntity<JsonNode> response = postJson("/orders", "{\"customer\": \"Ada\", \"amountCents\": \"lots\"}");
		assertProblem(response, HttpStatus.BAD_REQUEST);
		assertThat(violations(response)).containsExactly("amountCents: must be an integer");
	}

	@Test
	void rejectsANumberOutOfRange() {
		ResponseEntity<JsonNode> response = postJson("/orders",
				"{\"customer\": \"Ada\", \"amountCents\": 123456789012345678901234567890}");
		assertProblem(response, HttpStatus.BAD_REQUEST);
		assertThat(violations(response)).containsExactly("amountCents: must be an integer in range");
	}

	@Test
	void rejectsAnObjectWhereAStringBelongs() {
		ResponseEntity<JsonNode> response = postJson("/orders",
				"{\"customer\": {\"name\": \"Ada\"}, \"amountCents\": 5}");
		assertProblem(response, HttpStatus.BAD_REQUEST);
		assertThat(violations(response)).containsExactly("customer: must be a string");
	}

	@Test
	void rejectsABodyThatIsNoObject() {
		ResponseEntity<JsonNode> response = postJson("/event/log/urn:shop:OrderPlaced", "[1, 2]");
		assertProblem(response, HttpStatus.BAD_REQUEST);
		assertThat(violations(response)).containsExactly("body: must be an object");
	}

	@Test
	void rejectsAMissingBody() {
		ResponseEntity<JsonNode> response = this.http
			.exchange(RequestEntity.post("/orders").contentType(MediaType.APPLICATION_JSON).build(), JsonNode.class);
		assertProblem(response, HttpStatus.BAD_REQUEST);
		assertThat(response.getBody().path("detail").asString()).isEqualTo("The request body is missing");
	}

	@Test
	void rejectsAnInvalidOrderWithEveryViolationOfItsRecord() {
		ResponseEntity<JsonNode> response = postJson("/orders", "{\"customer\": \" \", \"amountCents\": -1}");
		assertProblem(response, HttpStatus.BAD_REQUEST);
		assertThat(violations(response)).containsExactlyInAnyOrder("customer: must not be blank",
				"amountCents: must be greater than 0");
	}

	@Test
	void acceptsABodyOfTheLimitWithoutAContentLength() throws IOException {
		String order = "{\"customer\": \"Ada\", \"amountCents\": 5, \"note\": \"";
		String body = order + "n".repeat(MAX_BODY_SIZE - order.length() - 2) + "\"}";
		assertThat(body).hasSize(MAX_BODY_SIZE);
		String response = postChunked(body.getBytes(StandardCharsets.US_ASCII), true);
		assertThat(response).startsWith("HTTP/1.1 201 ");
	}

	@Test
	void refusesABodyDeclaredLargerThanTheLimitBeforeItIsSent() throws IOException {
		// only the headers are sent: the answer cannot wait for the body
		String response = exchange("POST /orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
				+ "Content-Length: " + (100 * MAX_BODY_SIZE) + "\r\n\r\n", new byte[0], false);
		assertTooLarge(response);
	}

	@Test
	void refusesAChunkedBodyOnceItGrowsLargerThanTheLimitBeforeItEnds() throws IOException {
		// over the limit and no last chunk: the answer cannot wait for the end
		byte[] body = ("{\"customer\": \"" + "a".repeat(MAX_BODY_SIZE)).getBytes(StandardCharsets.US_ASCII);
		assertTooLarge(postChunked(body, false));
	}

	private void assertTooLarge(String response) {
		assertThat(response).startsWith("HTTP/1.1 413 ")
			.containsIgnoringCase("Content-Type: application/problem+json")
			.contains("\"title\":\"Request body too large\"")
			.contains("\"detail\":\"The request body must not be larger than " + MAX_BODY_SIZE + " bytes\"")
			.contains("\"maxBodySize\":" + MAX_BODY_SIZE);
	}

	private ResponseEntity<JsonNode> postJson(String path, String json) {
		return this.http.exchange(RequestEntity.post(path).contentType(MediaType.APPLICATION_JSON).body(json),
				JsonNode.class);
	}

	private static void assertProblem(ResponseEntity<JsonNode> response, HttpStatus status) {
		assertThat(response.getStatusCode()).isEqualTo(status);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.getBody().path("status").asInt()).isEqualTo(status.value());
		assertThat(response.getBody().path("title").asString()).isNotBlank();
		assertThat(response.getBody().path("detail").asString()).isNotBlank();
		assertThat(response.getBody().toString()).doesNotContainPattern(IMPLEMENTATION_NAMES);
	}

	private static List<String> violations(ResponseEntity<JsonNode> response) {
		return StreamSupport.stream(response.getBody().path("violations").spliterator(), false)
			.map(JsonNode::asString)
			.toList();
	}

	/**
	 * POST a JSON body to {@code /orders} with {@code Transfer-Encoding: chunked}, so
	 * with no {@code Content-Length}, in chunks of 8 KiB.
	 * @param body the body
	 * @param end whether to send the last chunk that ends the body
	 * @return the raw response
	 */
	private String postChunked(byte[] body, boolean end) throws IOException {
		ByteArrayOutputStream chunks = new ByteArrayOutputStream();
		for (int offset = 0; offset < body.length; offset += 8192) {
			int length = Math.min(8192, body.length - offset);
			chunks.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
			chunks.write(body, offset, length);
			chunks.write("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		if (end) {
			chunks.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		return exchange("POST /orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
				+ "Transfer-Encoding: chunked\r\n\r\n", chunks.toByteArray(), end);
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
				if (response.toString(StandardCharsets.US_ASCII).endsWith("\r\n0\r\n\r\n")) {
					break;
				}
			}
			return response.toString(StandardCharsets.UTF_8);
		}
	}

}
