package io.eventy.sample;

import java.time.Duration;
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
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's actuator on PostgreSQL: {@code /actuator/health} shows Eventy's
 * subscriptions with their details, {@code /actuator/metrics} lists Eventy's meters.
 * ({@link SampleKafkaTests} covers Kafka mode.)
 */
@AutoConfigureTestRestTemplate
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.demo.enabled=false")
class SampleActuatorTests {

	private static final Duration DEADLINE = Duration.ofSeconds(15);

	@Autowired
	private TestRestTemplate http;

	@Test
	void showsTheSubscriptionsUpWithTheirDetailsInHealth() {
		ResponseEntity<JsonNode> response = this.http.getForEntity("/actuator/health", JsonNode.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody().path("status").asString()).isEqualTo("UP");
		JsonNode handlers = response.getBody().path("components").path("eventyHandlers");
		assertThat(handlers.path("status").asString()).isEqualTo("UP");
		JsonNode subscriptions = handlers.path("details").path("subscriptions");
		assertThat(subscriptions.propertyNames()).contains("invoices", "order-summary");
		assertThat(subscriptions.path("invoices").path("deadLetters").isNumber()).isTrue();
		assertThat(response.getBody().path("components").path("db").path("status").asString()).isEqualTo("UP");
	}

	@Test
	void listsTheSubscriptionsLagAndTheHandledRecordsInMetrics() {
		assertThat(meterNames()).contains("eventy.subscription.lag");
		ResponseEntity<JsonNode> lag = this.http.getForEntity("/actuator/metrics/eventy.subscription.lag?tag={tag}",
				JsonNode.class, "subscription:invoices");
		assertThat(lag.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(lag.getBody().path("measurements").path(0).path("value").isNumber()).isTrue();
		ResponseEntity<JsonNode> placed = this.http.postForEntity("/orders",
				Map.of("orderId", UUID.randomUUID().toString(), "customer", "Ada", "amountCents", 1200),
				JsonNode.class);
		assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		await().atMost(DEADLINE).untilAsserted(() -> {
			ResponseEntity<JsonNode> records = this.http.getForEntity(
					"/actuator/metrics/eventy.handler.records?tag={tag}", JsonNode.class, "subscription:invoices");
			assertThat(records.getStatusCode()).isEqualTo(HttpStatus.OK);
			assertThat(records.getBody().path("measurements").path(0).path("value").asDouble()).isPositive();
		});
		assertThat(meterNames()).contains("eventy.handler.records", "eventy.handler.duration");
	}

	private List<String> meterNames() {
		ResponseEntity<JsonNode> response = this.http.getForEntity("/actuator/metrics", JsonNode.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		return StreamSupport.stream(response.getBody().path("names").spliterator(), false)
			.map(JsonNode::asString)
			.toList();
	}

}
