package io.eventy.sample;

import java.util.List;
import java.util.Map;
import java.util.UUID;

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

@AutoConfigureTestRestTemplate
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.demo.enabled=false")
class SampleApplicationTests {

	@Autowired
	private TestRestTemplate http;

	@Test
	void placesAnOrderAsTheFirstRecordOfItsStream() {
		ResponseEntity<JsonNode> response = place(null, "Ada", 1200);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		String orderId = response.getBody().path("orderId").asString();
		assertThat(orderId).isNotBlank();
		assertThat(response.getBody().path("version").asLong()).isEqualTo(1);
		assertThat(response.getBody().path("type").asString()).isEqualTo("urn:shop:OrderPlaced");
		assertThat(response.getHeaders().getLocation()).hasPath("/orders/" + orderId + "/history");
	}

	@Test
	void shipsAPlacedOrder() {
		String orderId = newOrderId();
		place(orderId, "Ada", 1200);
		ResponseEntity<JsonNode> response = ship(orderId, "Parcel Express");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody().path("version").asLong()).isEqualTo(2);
		assertThat(response.getBody().path("type").asString()).isEqualTo("urn:shop:OrderShipped");
	}

	@Test
	void refusesToShipAnOrderTwice() {
		String orderId = newOrderId();
		place(orderId, "Ada", 1200);
		ship(orderId, "Parcel Express");
		ResponseEntity<JsonNode> response = ship(orderId, "Parcel Express");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
		assertThat(response.getBody().path("detail").asString()).contains(orderId).contains("shipped already");
		assertThat(history(orderId).getBody()).hasSize(2);
	}

	@Test
	void refusesToPlaceTheSameOrderTwice() {
		String orderId = newOrderId();
		place(orderId, "Ada", 1200);
		ResponseEntity<JsonNode> response = place(orderId, "Grace", 99);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
		assertThat(response.getBody().path("actualVersion").asLong()).isEqualTo(1);
		assertThat(history(orderId).getBody()).hasSize(1);
	}

	@Test
	void showsTheHistoryOfAnOrderInVersionOrder() {
		String orderId = newOrderId();
		place(orderId, "Ada", 1200);
		ship(orderId, "Parcel Express");
		ResponseEntity<JsonNode> response = history(orderId);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		JsonNode history = response.getBody();
		assertThat(history).hasSize(2);
		assertThat(history.get(0).path("type").asString()).isEqualTo("urn:shop:OrderPlaced");
		assertThat(history.get(0).path("version").asLong()).isEqualTo(1);
		assertThat(history.get(0).path("data").path("customer").asString()).isEqualTo("Ada");
		assertThat(history.get(0).path("data").path("amountCents").asLong()).isEqualTo(1200);
		assertThat(history.get(1).path("type").asString()).isEqualTo("urn:shop:OrderShipped");
		assertThat(history.get(1).path("version").asLong()).isEqualTo(2);
		assertThat(history.get(1).path("data").path("carrier").asString()).isEqualTo("Parcel Express");
		assertThat(history.get(1).path("position").asLong()).isGreaterThan(history.get(0).path("position").asLong());
		assertThat(history.get(0).path("correlationId").asString()).isNotBlank();
		assertThat(history.get(1).path("correlationId").asString()).isNotBlank();
	}

	@Test
	void rejectsAnInvalidOrderListingEachViolationAndStoresNothing() {
		String orderId = newOrderId();
		ResponseEntity<JsonNode> response = place(orderId, " ", 0);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		List<String> violations = texts(response.getBody().path("violations"));
		assertThat(violations).hasSize(2);
		assertThat(violations).anySatisfy((violation) -> assertThat(violation).contains("customer"));
		assertThat(violations).anySatisfy((violation) -> assertThat(violation).contains("amountCents"));
		assertThat(history(orderId).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void answersNotFoundForTheHistoryOfAnOrderNeverPlaced() {
		ResponseEntity<JsonNode> response = history(newOrderId());
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(response.getBody().path("detail").asString()).contains("was never placed");
	}

	@Test
	void answersNotFoundWhenShippingAnOrderNeverPlaced() {
		assertThat(ship(newOrderId(), "Parcel Express").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void logsAnEventByNameThroughEventysIngestEndpoint() {
		ResponseEntity<JsonNode> response = this.http.postForEntity("/event/log/urn:shop:OrderPlaced",
				Map.of("orderId", "by-name", "customer", "Ada", "amountCents", 500), JsonNode.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(UUID.fromString(response.getBody().path("uuid").asString())).isNotNull();
	}

	@Test
	void logsAnEventWithEventlibsFormParametersConvertedToItsTypes() {
		ResponseEntity<JsonNode> response = this.http
			.postForEntity("/event/log?__event__=urn:shop:OrderViewed&orderId=viewed&seconds=12", null, JsonNode.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(UUID.fromString(response.getBody().path("uuid").asString())).isNotNull();
	}

	@Test
	void answersNotFoundForAnUnknownEventNameAndForOneNotAllowed() {
		ResponseEntity<JsonNode> unknown = this.http.postForEntity("/event/log/urn:shop:OrderTeleported",
				Map.of("orderId", "x"), JsonNode.class);
		assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		// a record type of the service, which the sample does not allow clients to log
		ResponseEntity<JsonNode> notAllowed = this.http.postForEntity("/event/log/urn:shop:InvoiceIssued",
				Map.of("orderId", "x"), JsonNode.class);
		assertThat(notAllowed.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(notAllowed.getBody()).isEqualTo(unknown.getBody());
	}

	@Test
	void rejectsAnInvalidEventByNameListingEachViolation() {
		ResponseEntity<JsonNode> response = this.http.postForEntity("/event/log/urn:shop:OrderShipped",
				Map.of("orderId", "x", "carrier", ""), JsonNode.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(texts(response.getBody().path("violations"))).containsExactly("carrier: must not be blank");
	}

	private ResponseEntity<JsonNode> place(String orderId, String customer, long amountCents) {
		Map<String, Object> body = (orderId != null)
				? Map.of("orderId", orderId, "customer", customer, "amountCents", amountCents)
				: Map.of("customer", customer, "amountCents", amountCents);
		return this.http.postForEntity("/orders", body, JsonNode.class);
	}

	private ResponseEntity<JsonNode> ship(String orderId, String carrier) {
		return this.http.postForEntity("/orders/{id}/ship", Map.of("carrier", carrier), JsonNode.class, orderId);
	}

	private ResponseEntity<JsonNode> history(String orderId) {
		return this.http.getForEntity("/orders/{id}/history", JsonNode.class, orderId);
	}

	private static String newOrderId() {
		return UUID.randomUUID().toString();
	}

	private static List<String> texts(JsonNode array) {
		return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asString).toList();
	}

}
