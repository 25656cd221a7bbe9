package io.eventy.sample;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order service pays orders with a request to the payment service, which it runs in
 * its JVM on the same embedded PostgreSQL: a charge comes back as the response, a
 * declined payment as an error response (402).
 */
@AutoConfigureTestRestTemplate
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.demo.enabled=false", "sample.payment.timeout=30s" })
class SamplePaymentTests {

	@Autowired
	private TestRestTemplate http;

	@Test
	void payingAnOrderSendsARequestToThePaymentServiceAndReturnsItsResponse() {
		ResponseEntity<JsonNode> paid = pay("pay-1", 1200);
		assertThat(paid.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(paid.getBody().path("orderId").asString()).isEqualTo("pay-1");
		assertThat(paid.getBody().path("chargeId").asString()).startsWith("ch-");
	}

	@Test
	void aDeclinedPaymentIsA402WithThePaymentServicesErrorCodeAndMessage() {
		ResponseEntity<JsonNode> declined = pay("pay-2", 500_000);
		assertThat(declined.getStatusCode()).isEqualTo(HttpStatus.PAYMENT_REQUIRED);
		assertThat(declined.getBody().path("errorCode").asInt()).isEqualTo(402);
		assertThat(declined.getBody().path("detail").asString()).startsWith("Card declined");
	}

	private ResponseEntity<JsonNode> pay(String orderId, long amountCents) {
		return this.http.postForEntity("/orders/{id}/pay", Map.of("amountCents", amountCents), JsonNode.class, orderId);
	}

}
