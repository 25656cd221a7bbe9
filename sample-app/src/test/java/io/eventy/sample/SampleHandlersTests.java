package io.eventy.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.eventy.test.EventyTest;
import io.eventy.test.EventyTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.eventy.test.EventyAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
@AutoConfigureTestRestTemplate
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.demo.enabled=false")
@EventyTest
class SampleHandlersTests {

	private static final Duration DEADLINE = Duration.ofSeconds(15);

	@Autowired
	private TestRestTemplate http;

	@Autowired
	private EventyTestSupport eventy;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void projectsAPlacedAndShippedOrderIntoItsSummary() {
		String orderId = newOrderId();
		place(orderId, "Ada", 1200, newRequestId());
		ship(orderId);
		this.eventy.awaitIdle();
		ResponseEntity<JsonNode> response = summary(orderId);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		JsonNode summary = response.getBody();
		assertThat(summary.path("status").asString()).isEqualTo("SHIPPED");
		assertThat(summary.path("orderId").asString()).isEqualTo(orderId);
		assertThat(summary.path("customer").asString()).isEqualTo("Ada");
		assertThat(summary.path("amountCents").asLong()).isEqualTo(1200);
		long shippedPosition = history(orderId).get(1).path("position").asLong();
		assertThat(summary.path("updatedPosition").asLong()).isEqualTo(shippedPosition);
	}

	@Test
	void answersNotFoundForTheSummaryOfAnOrderNeverPlaced() {
		ResponseEntity<JsonNode> response = summary(newOrderId());
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(response.getBody().path("detail").asString()).contains("has no summary");
	}

	@Test
	void issuesOneInvoiceAndOneInvoiceIssuedRecordInThePlacingRequestsContext() {
		String orderId = newOrderId();
		String requestId = newRequestId();
		place(orderId, "Grace", 3300, requestId);
		this.eventy.awaitIdle();
		JsonNode placed = history(orderId).get(0);
		InvoiceIssued invoice = assertThat(this.eventy.recorded()).containsRecords(InvoiceIssued.class, 1)
			.containsRecord(InvoiceIssued.class)
			.withCorrelationId(placed.path("correlationId").asString())
			.withCausationId(placed.path("uuid").asString())
			.withRequestId(requestId)
			.withPayload((issued) -> issued.orderId().equals(orderId) && issued.amountCents() == 3300
					&& issued.invoiceNumber().startsWith("INV-"))
			.payload();
		List<Map<String, Object>> invoices = this.jdbc
			.queryForList("select invoice_number, amount_cents from invoice where order_id = ?", orderId);
		assertThat(invoices).singleElement().satisfies((row) -> {
			assertThat(row.get("invoice_number")).isEqualTo(invoice.invoiceNumber());
			assertThat(row.get("amount_cents")).isEqualTo(3300L);
		});
	}

	@Test
	void issuesNoSecondInvoiceForAnOrderPlacedAgainByName() {
		String orderId = newOrderId();
		place(orderId, "Ada", 500, newRequestId());
		ResponseEntity<JsonNode> again = this.http.postForEntity("/event/log/urn:shop:OrderPlaced",
				Map.of("orderId", orderId, "customer", "Ada", "amountCents", 500), JsonNode.class);
		assertThat(again.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		this.eventy.awaitIdle();
		assertThat(this.eventy.recorded()).containsRecords(OrderPlaced.class, 2)
			.containsRecords(InvoiceIssued.class, 1)
			.containsRecord(InvoiceIssued.class)
			.withPayload((invoice) -> invoice.orderId().equals(orderId));
		assertThat(this.jdbc.queryForObject("select count(*) from invoice where order_id = ?", Long.class, orderId))
			.isEqualTo(1);
	}

	@Test
	void logsEachProjectionWithTheTraceAndRequestIdsOfTheRequestThatPlacedTheOrder(CapturedOutput output) {
		String orderId = newOrderId();
		String requestId = newRequestId();
		place(orderId, "Ada", 1200, requestId);
		String traceId = history(orderId).get(0).path("correlationId").asString();
		await().atMost(DEADLINE)
			.untilAsserted(() -> assertThat(output.getAll().lines())
				.anySatisfy((line) -> assertThat(line).contains("Projected order " + orderId)
					.contains("[" + traceId)
					.contains("-" + requestId)));
		await().atMost(DEADLINE)
			.untilAsserted(() -> assertThat(output.getAll().lines())
				.anySatisfy((line) -> assertThat(line).contains("Issued invoice")
					.contains("for order " + orderId)
					.contains("[" + traceId)
					.contains("-" + requestId)));
	}

	private void place(String orderId, String customer, long amountCents, String requestId) {
		HttpHeaders headers = new HttpHeaders();
		headers.set("X-Request-Id", requestId);
		ResponseEntity<JsonNode> response = this.http.postForEntity("/orders",
				new HttpEntity<>(Map.of("orderId", orderId, "customer", customer, "amountCents", amountCents), headers),
				JsonNode.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(response.getHeaders().getFirst("X-Request-Id")).isEqualTo(requestId);
	}

	private void ship(String orderId) {
		ResponseEntity<JsonNode> response = this.http.postForEntity("/orders/{id}/ship",
				Map.of("carrier", "Parcel Express"), JsonNode.class, orderId);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	private ResponseEntity<JsonNode> summary(String orderId) {
		return this.http.getForEntity("/orders/{id}/summary", JsonNode.class, orderId);
	}

	private JsonNode history(String orderId) {
		return this.http.getForEntity("/orders/{id}/history", JsonNode.class, orderId).getBody();
	}

	private static String newOrderId() {
		return UUID.randomUUID().toString();
	}

	private static String newRequestId() {
		return "req-" + UUID.randomUUID();
	}

}
