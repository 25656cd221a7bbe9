package io.eventy.sample;

import java.util.List;
import java.util.Map;

import io.eventy.store.StoredRecord;
import io.eventy.test.EventyTest;
import io.eventy.test.EventyTestSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static io.eventy.test.EventyAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order service pays orders with a request to the payment service, which it runs in
 * its JVM on the same embedded PostgreSQL: a charge comes back as the response, a
 * declined payment as an error response (402).
 */
@AutoConfigureTestRestTemplate
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.demo.enabled=false", "sample.payment.timeout=30s" })
@EventyTest
class SamplePaymentTests {

	@Autowired
	private TestRestTemplate http;

	@Autowired
	private EventyTestSupport eventy;

	@Test
	void payingAnOrderSendsARequestToThePaymentServiceAndReturnsItsResponse() {
		ResponseEntity<JsonNode> paid = pay("pay-1", 1200);
		assertThat(paid.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(paid.getBody().path("orderId").asString()).isEqualTo("pay-1");
		assertThat(paid.getBody().path("chargeId").asString()).startsWith("ch-");
		List<StoredRecord> recorded = this.eventy.recorded();
		assertThat(recorded).containsRecord(ChargePayment.class).withPayload(new ChargePayment("pay-1", 1200));
		String correlationId = recorded.stream()
			.filter((record) -> record.record().name().equals("ChargePayment"))
			.findFirst()
			.orElseThrow()
			.record()
			.correlationId();
		// the response is correlated with the request that caused it
		assertThat(recorded).containsRecord(PaymentCharged.class)
			.withCorrelationId(correlationId)
			.withPayload((charged) -> charged.orderId().equals("pay-1")
					&& charged.chargeId().equals(paid.getBody().path("chargeId").asString()));
	}

	@Test
	void aDeclinedPaymentIsA402WithThePaymentServicesErrorCodeAndMessage() {
		ResponseEntity<JsonNode> declined = pay("pay-2", 500_000);
		assertThat(declined.getStatusCode()).isEqualTo(HttpStatus.PAYMENT_REQUIRED);
		assertThat(declined.getBody().path("errorCode").asInt()).isEqualTo(402);
		assertThat(declined.getBody().path("detail").asString()).startsWith("Card declined");
		List<StoredRecord> recorded = this.eventy.recorded();
		assertThat(recorded).containsRecord(ChargePayment.class).withPayload(new ChargePayment("pay-2", 500_000));
		// the payment service answered with an error response: no data, its error code
		// and
		// message
		assertThat(recorded.stream().filter((record) -> record.record().name().equals("PaymentCharged")))
			.singleElement()
			.satisfies((response) -> {
				assertThat(response.record().ok()).isFalse();
				assertThat(response.record().errorCode()).isEqualTo(402);
				assertThat(response.record().errorMessage()).startsWith("Card declined");
				assertThat(response.record().data().isEmpty()).isTrue();
			});
	}

	private ResponseEntity<JsonNode> pay(String orderId, long amountCents) {
		return this.http.postForEntity("/orders/{id}/pay", Map.of("amountCents", amountCents), JsonNode.class, orderId);
	}

}
