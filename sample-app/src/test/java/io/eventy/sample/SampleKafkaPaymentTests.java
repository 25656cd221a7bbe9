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
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

import static io.eventy.test.EventyAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the {@code kafka} profile, the order service pays orders with a request on the
 * payment service's requests topic of the embedded broker, and reads the response from
 * its responses topic.
 */
@AutoConfigureTestRestTemplate
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.demo.enabled=false", "sample.payment.timeout=30s" })
@ActiveProfiles("kafka")
@EventyTest
@DirtiesContext
class SampleKafkaPaymentTests {

	@Autowired
	private TestRestTemplate http;

	@Autowired
	private EventyTestSupport eventy;

	@Test
	void payingAnOrderOnKafkaReturnsThePaymentServicesResponseAndADeclineIsA402() {
		ResponseEntity<JsonNode> paid = pay("pay-k1", 1200);
		assertThat(paid.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(paid.getBody().path("chargeId").asString()).startsWith("ch-");
		ResponseEntity<JsonNode> declined = pay("pay-k2", 500_000);
		assertThat(declined.getStatusCode()).isEqualTo(HttpStatus.PAYMENT_REQUIRED);
		assertThat(declined.getBody().path("errorCode").asInt()).isEqualTo(402);
		// both requests went to the payment service's requests topic, and both answers
		// came
		// back, the second an error response
		List<StoredRecord> recorded = this.eventy.recorded();
		assertThat(recorded).containsRecord(ChargePayment.class).withPayload(new ChargePayment("pay-k1", 1200));
		assertThat(recorded).containsRecord(ChargePayment.class).withPayload(new ChargePayment("pay-k2", 500_000));
		assertThat(recorded.stream().filter((record) -> record.record().name().equals("PaymentCharged")))
			.extracting((record) -> record.record().ok())
			.containsExactlyInAnyOrder(true, false);
	}

	private ResponseEntity<JsonNode> pay(String orderId, long amountCents) {
		return this.http.postForEntity("/orders/{id}/pay", Map.of("amountCents", amountCents), JsonNode.class, orderId);
	}

}
