package io.eventy.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.eventy.store.EventStore;
import io.eventy.store.StoredRecord;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
@AutoConfigureTestRestTemplate
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.demo.enabled=false")
class SampleHandlersTests {

	private static final Duration DEADLINE = Duration.ofSeconds(15);

	@Autowired
	private TestRestTemplate http;

	@Autowired
	private EventStore store;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void projectsAPlacedAndShippedOrderIntoItsSummary() {
		String orderId = newOrderId();
		place(orderId, "Ada", 1200, newRequestId());
		ship(orderId);
		await().atMost(DEADLINE).untilAsserted(() -> {
			ResponseEntity<JsonNode> summary = summary(orderId);
			assertThat(summary.getStatusCode()).isEqualTo(HttpStatus.OK);
			assertThat(summary.getBody().path("status").asString()).isEqualTo("SHIPPED");
		});
		JsonNode summary = summary(orderId).getBody();
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
		await().atMost(DEADLINE).untilAsserted(() -> assertThat(invoicesIssued(orderId)).isNotEmpty());
		JsonNode placed = history(orderId).get(0);
		List<StoredRecord> issued = invoicesIssued(orderId);
		assertThat(issued).singleElement().satisfies((record) -> {
			assertThat(record.record().correlationId()).isEqualTo(placed.path("correlationId").asString());
			assertThat(record.causationId()).isEqualTo(placed.path("uuid").asString());
			assertThat(record.requestId()).isEqualTo(requestId);
			InvoiceIssued invoice = record.payload(InvoiceIssued.class);
			assertThat(invoice.amountCents()).isEqualTo(3300);
			assertThat(invoice.invoiceNumber()).startsWith("INV-");
		});
		List<Map<String, Object>> invoices = this.jdbc
			.queryForList("select invoice_number, amount_cents from invoice where order_id = ?", orderId);
		assertThat(invoices).singleElement().satisfies((invoice) -> {
			assertThat(invoice.get("invoice_number"))
				.isEqualTo(issued.get(0).payload(InvoiceIssued.class).invoiceNumber());
			assertThat(invoice.get("amount_cents")).isEqualTo(3300L);
		});
	}

	@Test
	void issuesNoSecondInvoiceForAnOrderPlacedAgainByName() {
		String orderId = newOrderId();
		place(orderId, "Ada", 500, newRequestId());
		await().atMost(DEADLINE).untilAsserted(() -> assertThat(invoicesIssued(orderId)).hasSize(1));
		ResponseEntity<JsonNode> again = this.http.postForEntity("/events/urn:shop:OrderPlaced",
				Map.of("orderId", orderId, "customer", "Ada", "amountCents", 500), JsonNode.class);
		assertThat(again.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		await().atMost(DEADLINE)
			.untilAsserted(() -> assertThat(this.jdbc.queryForObject(
					"select count(*) from eventy_subscriptions where name = 'invoices' and checkpoint_position >= ?",
					Long.class, again.getBody().path("position").asLong()))
				.isEqualTo(1));
		assertThat(invoicesIssued(orderId)).hasSize(1);
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

	private List<StoredRecord> invoicesIssued(String orderId) {
		return this.store.readAll(0, 100_000)
			.stream()
			.filter((record) -> record.record().qualifiedName().equals("urn:shop:InvoiceIssued"))
			.filter((record) -> record.payload(InvoiceIssued.class).orderId().equals(orderId))
			.toList();
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
