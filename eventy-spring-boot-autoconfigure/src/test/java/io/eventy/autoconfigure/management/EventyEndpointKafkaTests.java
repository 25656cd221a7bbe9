package io.eventy.autoconfigure.management;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.eventy.handler.DeadLetter;
import io.eventy.handler.DeadLetters;
import io.eventy.handler.SubscriptionState;
import io.eventy.handler.Subscriptions;
import io.eventy.store.EventStore;
import io.eventy.testsupport.KafkaTestBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code eventy} endpoint with its write operations enabled, through HTTP on a real
 * server and the Kafka store of the in-JVM broker: the subscription and the partitions it
 * reads (those of the service's events, requests and responses topics) are listed, its
 * dead letters shown and re-driven, and pause, resume and reset act on its consumer
 * group.
 */
@SpringBootTest(classes = KafkaManagementTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eventy.store.type=kafka", "eventy.service.namespace=urn:shop", "eventy.kafka.partitions=2",
				"eventy.handlers.retry.max-attempts=2", "eventy.handlers.retry.initial-interval=10ms",
				"management.endpoints.web.exposure.include=eventy,health",
				"eventy.management.write-operations.enabled=true" })
class EventyEndpointKafkaTests {

	private static final String SERVICE = KafkaTestBroker.uniqueName("management");

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@LocalServerPort
	private int port;

	@Autowired
	private ManagementTestApplication.Orders orders;

	@Autowired
	private EventStore store;

	@Autowired
	private DeadLetters deadLetters;

	@Autowired
	private Subscriptions subscriptions;

	private RestTestClient client;

	@DynamicPropertySource
	static void broker(DynamicPropertyRegistry registry) {
		registry.add("spring.application.name", () -> SERVICE);
		registry.add("spring.kafka.bootstrap-servers", KafkaTestBroker::bootstrapServers);
	}

	@BeforeEach
	void client() {
		this.client = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
	}

	@AfterEach
	void cleanUp() {
		this.orders.failing.set(false);
		this.subscriptions.resume("orders");
		this.deadLetters.discard("orders");
	}

	@Test
	void listsTheSubscriptionOnKafkaWithThePartitionsOfTheServiceTopicsAsCheckpoints() {
		handled(publish());
		this.client.get()
			.uri("/actuator/eventy")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.writeOperations")
			.isEqualTo(true)
			.jsonPath("$.subscriptions[0].name")
			.isEqualTo("orders")
			.jsonPath("$.subscriptions[0].store")
			.isEqualTo("kafka")
			.jsonPath("$.subscriptions[0].segments")
			.isEqualTo(6)
			.jsonPath("$.subscriptions[0].checkpoints[*].part")
			.value(List.class,
					(parts) -> assertThat(parts).containsExactlyInAnyOrder(SERVICE + "-events-0", SERVICE + "-events-1",
							SERVICE + "-requests-0", SERVICE + "-requests-1", SERVICE + "-responses-0",
							SERVICE + "-responses-1"));
	}

	@Test
	void showsADeadLetterAndRedrivesItOnceTheHandlerIsFixed() {
		DeadLetter letter = deadLetter();
		this.client.get()
			.uri("/actuator/eventy/orders")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.subscription.store")
			.isEqualTo("kafka")
			.jsonPath("$.subscription.deadLetters")
			.isEqualTo(1)
			.jsonPath("$.deadLetters.total")
			.isEqualTo(1)
			.jsonPath("$.deadLetters.items[0].id")
			.isEqualTo(letter.id())
			.jsonPath("$.deadLetters.items[0].uuid")
			.isEqualTo(letter.uuid().toString());
		this.orders.failing.set(false);
		post("{\"action\":\"redrive\",\"uuid\":\"" + letter.uuid() + "\"}").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.action")
			.isEqualTo("redrive")
			.jsonPath("$.deadLetters")
			.isEqualTo(1);
		handled(letter.record().payload(ManagementTestApplication.OrderPlaced.class).orderId());
		await().atMost(TIMEOUT).until(() -> this.deadLetters.count("orders") == 0);
	}

	@Test
	void pausesAndResumesTheSubscription() {
		handled(publish());
		post("{\"action\":\"pause\"}").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.action")
			.isEqualTo("pause")
			.jsonPath("$.subscription.state")
			.isEqualTo("PAUSED");
		await().atMost(TIMEOUT).until(() -> this.subscriptions.get("orders").state() == SubscriptionState.PAUSED);
		String orderId = publish();
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(2))
			.until(() -> !this.orders.handled.contains(orderId));
		post("{\"action\":\"resume\"}").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.subscription.state")
			.value(String.class, (state) -> assertThat(state).isNotEqualTo("PAUSED"));
		handled(orderId);
	}

	@Test
	void resetsTheSubscriptionToTheEarliestRecordForAReplay() {
		String orderId = publish();
		handled(orderId);
		post("{\"action\":\"reset\",\"to\":\"earliest\"}").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.action")
			.isEqualTo("reset");
		await().atMost(TIMEOUT).until(() -> this.orders.handled.stream().filter(orderId::equals).count() == 2);
	}

	@Test
	void resetsAPausedSubscriptionThatReplaysOnceResumed() {
		String orderId = publish();
		handled(orderId);
		post("{\"action\":\"pause\"}").expectStatus().isOk();
		post("{\"action\":\"reset\",\"to\":\"earliest\"}").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.subscription.state")
			.isEqualTo("PAUSED");
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(2))
			.until(() -> this.orders.handled.stream().filter(orderId::equals).count() == 1);
		post("{\"action\":\"resume\"}").expectStatus().isOk();
		await().atMost(TIMEOUT).until(() -> this.orders.handled.stream().filter(orderId::equals).count() == 2);
	}

	/**
	 * Make the handler fail on a new record until it is a dead letter; the handler still
	 * fails afterwards.
	 */
	private DeadLetter deadLetter() {
		this.orders.failing.set(true);
		UUID uuid = this.store.publish(new ManagementTestApplication.OrderPlaced(orderId())).record().uuid();
		await().atMost(TIMEOUT)
			.until(() -> this.deadLetters.list("orders").stream().anyMatch((letter) -> uuid.equals(letter.uuid())));
		return this.deadLetters.list("orders")
			.stream()
			.filter((letter) -> uuid.equals(letter.uuid()))
			.findFirst()
			.orElseThrow();
	}

	private String publish() {
		String orderId = orderId();
		this.store.publish(new ManagementTestApplication.OrderPlaced(orderId));
		return orderId;
	}

	private void handled(String orderId) {
		await().atMost(TIMEOUT).until(() -> this.orders.handled.contains(orderId));
	}

	private RestTestClient.ResponseSpec post(String body) {
		return this.client.post()
			.uri("/actuator/eventy/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange();
	}

	private static String orderId() {
		return "order-" + UUID.randomUUID();
	}

}
