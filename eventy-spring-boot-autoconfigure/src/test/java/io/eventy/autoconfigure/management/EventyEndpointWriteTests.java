package io.eventy.autoconfigure.management;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.eventy.handler.DeadLetter;
import io.eventy.handler.DeadLetters;
import io.eventy.handler.SubscriptionState;
import io.eventy.handler.Subscriptions;
import io.eventy.store.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code eventy} endpoint with its write operations enabled, through HTTP on a real
 * server and a real PostgreSQL store: each operation works end to end.
 */
@SpringBootTest(classes = ManagementTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=management-test", "eventy.service.namespace=urn:shop",
				"eventy.handlers.poll-interval=100ms", "eventy.handlers.retry.max-attempts=2",
				"eventy.handlers.retry.initial-interval=10ms",
				"management.endpoints.web.exposure.include=eventy,health",
				"eventy.management.write-operations.enabled=true" })
class EventyEndpointWriteTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

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
	void listsWriteOperationsAsEnabled() {
		this.client.get()
			.uri("/actuator/eventy")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.writeOperations")
			.isEqualTo(true);
	}

	@Test
	void pausesAndResumesASubscription() {
		post("{\"action\":\"pause\"}").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.name")
			.isEqualTo("orders")
			.jsonPath("$.action")
			.isEqualTo("pause")
			.jsonPath("$.deadLetters")
			.value((count) -> assertThat(count).isNull())
			.jsonPath("$.subscription.state")
			.isEqualTo("PAUSED");
		assertThat(this.subscriptions.get("orders").state()).isEqualTo(SubscriptionState.PAUSED);
		String orderId = orderId();
		this.store.publish(new ManagementTestApplication.OrderPlaced(orderId));
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(2))
			.until(() -> !this.orders.handled.contains(orderId));
		post("{\"action\":\"resume\"}").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.subscription.state")
			.value(String.class, (state) -> assertThat(state).isNotEqualTo("PAUSED"));
		await().atMost(TIMEOUT).until(() -> this.orders.handled.contains(orderId));
	}

	@Test
	void resetsASubscriptionToTheEarliestRecordForAReplay() {
		String orderId = orderId();
		this.store.publish(new ManagementTestApplication.OrderPlaced(orderId));
		await().atMost(TIMEOUT).until(() -> this.orders.handled.contains(orderId));
		post("{\"action\":\"reset\",\"to\":\"earliest\"}").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.action")
			.isEqualTo("reset");
		await().atMost(TIMEOUT).until(() -> this.orders.handled.stream().filter(orderId::equals).count() == 2);
	}

	@Test
	void resetsASubscriptionToATime() {
		String before = orderId();
		this.store.publish(new ManagementTestApplication.OrderPlaced(before));
		await().atMost(TIMEOUT).until(() -> this.orders.handled.contains(before));
		Instant time = Instant.now().plusSeconds(1);
		post("{\"action\":\"reset\",\"to\":\"time\",\"time\":\"" + time + "\"}").expectStatus().isOk();
		post("{\"action\":\"reset\",\"to\":\"latest\"}").expectStatus().isOk();
		String after = orderId();
		this.store.publish(new ManagementTestApplication.OrderPlaced(after));
		await().atMost(TIMEOUT).until(() -> this.orders.handled.contains(after));
		assertThat(this.orders.handled.stream().filter(before::equals)).hasSize(1);
	}

	@Test
	void redrivesOneDeadLetterOnceTheHandlerIsFixed() {
		DeadLetter letter = deadLetter();
		get(letter).jsonPath("$.deadLetters.items[0].uuid").isEqualTo(letter.uuid().toString());
		this.orders.failing.set(false);
		post("{\"action\":\"redrive\",\"uuid\":\"" + letter.uuid() + "\"}").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.action")
			.isEqualTo("redrive")
			.jsonPath("$.deadLetters")
			.isEqualTo(1);
		String orderId = letter.record().payload(ManagementTestApplication.OrderPlaced.class).orderId();
		await().atMost(TIMEOUT).until(() -> this.orders.handled.contains(orderId));
		await().atMost(TIMEOUT).until(() -> this.deadLetters.count("orders") == 0);
	}

	@Test
	void redrivesEveryDeadLetter() {
		DeadLetter letter = deadLetter();
		this.orders.failing.set(false);
		post("{\"action\":\"redrive\"}").expectStatus().isOk().expectBody().jsonPath("$.deadLetters").isEqualTo(1);
		String orderId = letter.record().payload(ManagementTestApplication.OrderPlaced.class).orderId();
		await().atMost(TIMEOUT).until(() -> this.orders.handled.contains(orderId));
		await().atMost(TIMEOUT).until(() -> this.deadLetters.count("orders") == 0);
	}

	@Test
	void discardsOneDeadLetter() {
		DeadLetter letter = deadLetter();
		this.orders.failing.set(false);
		post("{\"action\":\"discard\",\"uuid\":\"" + letter.uuid() + "\"}").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.deadLetters")
			.isEqualTo(1)
			.jsonPath("$.subscription.deadLetters")
			.isEqualTo(0);
		assertThat(this.deadLetters.count("orders")).isZero();
		String orderId = letter.record().payload(ManagementTestApplication.OrderPlaced.class).orderId();
		assertThat(this.orders.handled).doesNotContain(orderId);
	}

	@Test
	void discardsEveryDeadLetter() {
		deadLetter();
		post("{\"action\":\"discard\"}").expectStatus().isOk().expectBody().jsonPath("$.deadLetters").isEqualTo(1);
		assertThat(this.deadLetters.count("orders")).isZero();
	}

	@Test
	void answers404ForADeadLetterThatIsNotThere() {
		UUID uuid = UUID.randomUUID();
		post("{\"action\":\"redrive\",\"uuid\":\"" + uuid + "\"}").expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("Subscription 'orders' has no dead letter of record " + uuid);
	}

	@Test
	void answers404ForAnUnknownSubscriptionAndDoesNothing() {
		this.client.post()
			.uri("/actuator/eventy/no-such-subscription")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"action\":\"pause\"}")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("No subscription named 'no-such-subscription' in this service");
	}

	@Test
	void answers400WithAClearMessageForRequestsThatAreNotValid() {
		badRequest("{\"action\":\"restart\"}",
				"Unknown action 'restart': expected one of pause, resume, reset, redrive, discard");
		badRequest("{\"action\":\"reset\"}", "The action 'reset' needs 'to': one of earliest, latest, position, time");
		badRequest("{\"action\":\"reset\",\"to\":\"yesterday\"}",
				"Unknown 'to' 'yesterday': expected one of earliest, latest, position, time");
		badRequest("{\"action\":\"reset\",\"to\":\"position\"}", "A reset to 'position' needs 'position', a number");
		badRequest("{\"action\":\"reset\",\"to\":\"position\",\"position\":-1}",
				"A reset position must not be negative, got -1");
		badRequest("{\"action\":\"reset\",\"to\":\"time\",\"time\":\"today\"}",
				"'time' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, got 'today'");
		badRequest("{\"action\":\"reset\",\"to\":\"earliest\",\"position\":3}",
				"'position' is for 'to': 'position' only");
		badRequest("{\"action\":\"pause\",\"to\":\"earliest\"}",
				"'to', 'position' and 'time' are for the action 'reset' only");
		badRequest("{\"action\":\"pause\",\"uuid\":\"" + UUID.randomUUID() + "\"}",
				"'uuid' is for the actions 'redrive' and 'discard' only");
		badRequest("{\"action\":\"discard\",\"uuid\":\"42\"}", "'uuid' must be a UUID, got '42'");
		post("{}").expectStatus().isBadRequest();
		assertThat(this.subscriptions.get("orders").state()).isNotEqualTo(SubscriptionState.PAUSED);
	}

	@Test
	void refusesToForgetARunningSubscription() {
		this.client.delete()
			.uri("/actuator/eventy/orders")
			.exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo(
					"Subscription 'orders' is running in this service: only an abandoned subscription can be forgotten");
		this.client.delete().uri("/actuator/eventy/no-such-subscription").exchange().expectStatus().isNotFound();
	}

	/**
	 * Make the handler fail on a new record until it is a dead letter; the handler still
	 * fails afterwards.
	 */
	private DeadLetter deadLetter() {
		this.orders.failing.set(true);
		String orderId = orderId();
		UUID uuid = this.store.publish(new ManagementTestApplication.OrderPlaced(orderId)).record().uuid();
		await().atMost(TIMEOUT)
			.until(() -> this.deadLetters.list("orders").stream().anyMatch((letter) -> uuid.equals(letter.uuid())));
		return this.deadLetters.list("orders")
			.stream()
			.filter((letter) -> uuid.equals(letter.uuid()))
			.findFirst()
			.orElseThrow();
	}

	private RestTestClient.BodyContentSpec get(DeadLetter letter) {
		return this.client.get()
			.uri("/actuator/eventy/orders")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.deadLetters.total")
			.isEqualTo(1)
			.jsonPath("$.deadLetters.items[0].id")
			.isEqualTo(letter.id());
	}

	private RestTestClient.ResponseSpec post(String body) {
		return this.client.post()
			.uri("/actuator/eventy/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange();
	}

	private void badRequest(String body, String error) {
		post(body).expectStatus().isBadRequest().expectBody().jsonPath("$.error").isEqualTo(error);
	}

	private static String orderId() {
		return "order-" + UUID.randomUUID();
	}

}
