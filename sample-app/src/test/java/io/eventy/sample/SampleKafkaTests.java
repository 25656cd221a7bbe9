package io.eventy.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.eventy.store.EventStore;
import io.eventy.store.StreamId;
import io.eventy.store.kafka.KafkaEventStore;
import io.eventy.test.EventyTest;
import io.eventy.test.EventyTestSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;

import static io.eventy.test.EventyAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With the {@code kafka} profile ({@code eventy.store.type=kafka}) and no
 * {@code spring.kafka.bootstrap-servers}, the sample stores its records on an embedded
 * Kafka broker and uses no database.
 */
@AutoConfigureTestRestTemplate
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.demo.enabled=false")
@ActiveProfiles("kafka")
@EventyTest
@DirtiesContext
class SampleKafkaTests {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	@Autowired
	private ApplicationContext context;

	@Autowired
	private TestRestTemplate http;

	@Autowired
	private KafkaConnectionDetails kafka;

	@Autowired
	private JsonMapper json;

	@Autowired
	private EventyTestSupport eventy;

	@Test
	void storesRecordsOnTheEmbeddedBrokerAndStartsNoDatabase() {
		assertThat(this.context.getBean(EventStore.class)).isInstanceOf(KafkaEventStore.class);
		assertThat(this.context.getBeanNamesForType(javax.sql.DataSource.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(io.zonky.test.db.postgres.embedded.EmbeddedPostgres.class))
			.isEmpty();
		assertThat(this.context.getBeansOfType(OrderLedger.class).values()).singleElement()
			.isInstanceOf(KafkaOrderLedger.class);
	}

	@Test
	void placesAndShipsAnOrderWhoseSummaryAndHistoryEventuallyShowItShipped() {
		String orderId = newOrderId();
		ResponseEntity<JsonNode> placed = place(orderId, "Ada", 1200);
		assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(placed.getBody().path("type").asString()).isEqualTo("urn:shop:OrderPlaced");
		ResponseEntity<JsonNode> shipped = ship(orderId);
		assertThat(shipped.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(shipped.getBody().path("type").asString()).isEqualTo("urn:shop:OrderShipped");
		this.eventy.awaitIdle();
		ResponseEntity<JsonNode> response = summary(orderId);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		JsonNode summary = response.getBody();
		assertThat(summary.path("status").asString()).isEqualTo("SHIPPED");
		assertThat(summary.path("customer").asString()).isEqualTo("Ada");
		assertThat(summary.path("amountCents").asLong()).isEqualTo(1200);
		JsonNode history = this.http.getForEntity("/orders/{id}/history", JsonNode.class, orderId).getBody();
		assertThat(history).hasSize(2);
		assertThat(history.get(0).path("type").asString()).isEqualTo("urn:shop:OrderPlaced");
		assertThat(history.get(0).path("data").path("customer").asString()).isEqualTo("Ada");
		assertThat(history.get(1).path("type").asString()).isEqualTo("urn:shop:OrderShipped");
		assertThat(history.get(1).path("data").path("carrier").asString()).isEqualTo("Parcel Express");
		assertThat(history.get(0).path("correlationId").asString()).isNotBlank();
	}

	@Test
	void refusesToShipAnOrderTwiceAndToPlaceItTwice() {
		String orderId = newOrderId();
		place(orderId, "Ada", 1200);
		ship(orderId);
		ResponseEntity<JsonNode> again = ship(orderId);
		assertThat(again.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
		assertThat(again.getBody().path("detail").asString()).contains("shipped already");
		assertThat(place(orderId, "Grace", 99).getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
	}

	@Test
	void projectsAnOrderPlacedByNameThroughTheHandlerAlone() {
		String orderId = newOrderId();
		ResponseEntity<JsonNode> published = this.http.postForEntity("/event/log/urn:shop:OrderPlaced",
				Map.of("orderId", orderId, "customer", "Grace", "amountCents", 700), JsonNode.class);
		assertThat(published.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		this.eventy.awaitIdle();
		ResponseEntity<JsonNode> summary = summary(orderId);
		assertThat(summary.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(summary.getBody().path("status").asString()).isEqualTo("PLACED");
		assertThat(summary.getBody().path("customer").asString()).isEqualTo("Grace");
		assertThat(this.eventy.recorded()).containsRecords(OrderPlaced.class, 1)
			.containsRecord(OrderPlaced.class)
			.withPayload(new OrderPlaced(orderId, "Grace", 700));
	}

	@Test
	void writesTheRecordsOfARequestWithItsRequestIdOnTheOrdersStream() {
		String orderId = newOrderId();
		HttpHeaders headers = new HttpHeaders();
		headers.set("X-Request-Id", "req-" + orderId);
		ResponseEntity<JsonNode> placed = this.http.postForEntity("/orders",
				new HttpEntity<>(Map.of("orderId", orderId, "customer", "Ada", "amountCents", 900), headers),
				JsonNode.class);
		assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(this.eventy.recorded()).containsRecord(OrderPlaced.class)
			.withRequestId("req-" + orderId)
			.withStream(StreamId.of("order", orderId))
			.withPayload((order) -> order.amountCents() == 900);
	}

	@Test
	void writesEachOrderAsEventyJsonToTheEventsTopic() throws Exception {
		String orderId = newOrderId();
		place(orderId, "Ada", 1500);
		List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = newConsumer()) {
			consumer.subscribe(List.of("order-service-events"));
			await().atMost(DEADLINE).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach((record) -> {
					if (new String(record.value(), java.nio.charset.StandardCharsets.UTF_8).contains(orderId)) {
						found.add(record);
					}
				});
				return !found.isEmpty();
			});
		}
		JsonNode value = this.json.readTree(found.get(0).value());
		assertThat(value.path("type").asString()).isEqualTo("EVENT");
		assertThat(value.path("namespace").asString()).isEqualTo("urn:shop");
		assertThat(value.path("name").asString()).isEqualTo("OrderPlaced");
		assertThat(value.path("source").asString()).isEqualTo("urn:order-service");
		assertThat(value.path("data").path("orderId").asString()).isEqualTo(orderId);
		assertThat(value.path("data").path("amountCents").asLong()).isEqualTo(1500);
	}

	@Test
	void showsTheKafkaStoreUpInHealthAndTheHandledRecordsInMetrics() {
		ResponseEntity<JsonNode> health = this.http.getForEntity("/actuator/health", JsonNode.class);
		assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(health.getBody().path("status").asString()).isEqualTo("UP");
		assertThat(health.getBody().path("components").path("eventyKafka").path("status").asString()).isEqualTo("UP");
		assertThat(health.getBody().path("components").has("eventyHandlers")).isFalse();
		assertThat(health.getBody().path("components").has("db")).isFalse();
		place(newOrderId(), "Ada", 1200);
		await().atMost(DEADLINE).untilAsserted(() -> {
			ResponseEntity<JsonNode> records = this.http.getForEntity(
					"/actuator/metrics/eventy.handler.records?tag={tag}", JsonNode.class, "subscription:order-summary");
			assertThat(records.getStatusCode()).isEqualTo(HttpStatus.OK);
			assertThat(records.getBody().path("measurements").path(0).path("value").asDouble()).isPositive();
		});
		JsonNode names = this.http.getForEntity("/actuator/metrics", JsonNode.class).getBody().path("names");
		assertThat(names.values()).map(JsonNode::asString)
			.contains("eventy.handler.records", "eventy.handler.duration");
	}

	private KafkaConsumer<String, byte[]> newConsumer() {
		return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				String.join(",", this.kafka.getBootstrapServers()), ConsumerConfig.GROUP_ID_CONFIG,
				"sample-kafka-tests-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
				new ByteArrayDeserializer());
	}

	private ResponseEntity<JsonNode> place(String orderId, String customer, long amountCents) {
		return this.http.postForEntity("/orders",
				Map.of("orderId", orderId, "customer", customer, "amountCents", amountCents), JsonNode.class);
	}

	private ResponseEntity<JsonNode> ship(String orderId) {
		return this.http.postForEntity("/orders/{id}/ship", Map.of("carrier", "Parcel Express"), JsonNode.class,
				orderId);
	}

	private ResponseEntity<JsonNode> summary(String orderId) {
		return this.http.getForEntity("/orders/{id}/summary", JsonNode.class, orderId);
	}

	private static String newOrderId() {
		return UUID.randomUUID().toString();
	}

}
