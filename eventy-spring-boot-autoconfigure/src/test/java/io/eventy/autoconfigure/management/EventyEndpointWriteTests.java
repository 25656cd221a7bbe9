package io.eventy.autoconfigure.management;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.eventy.autoconfigure.EventyAutoConfiguration;
import io.eventy.autoconfigure.handler.EventyHandlersAutoConfiguration;
import io.eventy.autoconfigure.postgres.EventyPostgresAutoConfiguration;

import io.eventy.handler.DeadLetter;
import io.eventy.handler.DeadLetters;
import io.eventy.handler.EventHandler;
import io.eventy.handler.SubscriptionState;
import io.eventy.handler.Subscriptions;
import io.eventy.store.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
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

	@Autowired
	private DataSource dataSource;

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
		String orderId = orderId();
		// records are stored with their date, to the millisecond
		Instant time = this.store.publish(new ManagementTestApplication.OrderPlaced(orderId)).record().date();
		await().atMost(TIMEOUT).until(() -> this.orders.handled.contains(orderId));
		post("{\"action\":\"reset\",\"to\":\"time\",\"time\":\"" + time + "\"}").expectStatus().isOk();
		await().atMost(TIMEOUT).until(() -> this.orders.handled.stream().filter(orderId::equals).count() == 2);
	}

	@Test
	void resetsASubscriptionToAPosition() {
		String orderId = orderId();
		long position = this.store.publish(new ManagementTestApplication.OrderPlaced(orderId)).position();
		await().atMost(TIMEOUT).until(() -> this.orders.handled.contains(orderId));
		post("{\"action\":\"reset\",\"to\":\"position\",\"position\":" + (position - 1) + "}").expectStatus().isOk();
		await().atMost(TIMEOUT).until(() -> this.orders.handled.stream().filter(orderId::equals).count() == 2);
	}

	@Test
	void resetsASubscriptionToTheLatestRecordSkippingThoseWaiting() {
		post("{\"action\":\"pause\"}").expectStatus().isOk();
		String skipped = orderId();
		this.store.publish(new ManagementTestApplication.OrderPlaced(skipped));
		post("{\"action\":\"reset\",\"to\":\"latest\"}").expectStatus().isOk();
		post("{\"action\":\"resume\"}").expectStatus().isOk();
		String handled = orderId();
		this.store.publish(new ManagementTestApplication.OrderPlaced(handled));
		await().atMost(TIMEOUT).until(() -> this.orders.handled.contains(handled));
		assertThat(this.orders.handled).doesNotContain(skipped);
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
		awaitHandledAndGone(letter);
	}

	@Test
	void redrivesEveryDeadLetter() {
		DeadLetter letter = deadLetter();
		this.orders.failing.set(false);
		post("{\"action\":\"redrive\"}").expectStatus().isOk().expectBody().jsonPath("$.deadLetters").isEqualTo(1);
		awaitHandledAndGone(letter);
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
	void showsAndForgetsAnAbandonedSubscription() {
		runRetiredService();
		await().atMost(TIMEOUT).until(() -> this.subscriptions.abandoned().contains("retired"));
		this.client.get()
			.uri("/actuator/eventy")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.abandoned")
			.value(List.class, (abandoned) -> assertThat(abandoned).containsExactly("retired"));
		this.client.get()
			.uri("/actuator/eventy/retired")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.name")
			.isEqualTo("retired")
			.jsonPath("$.abandoned")
			.isEqualTo(true)
			.jsonPath("$.subscription")
			.value((subscription) -> assertThat(subscription).isNull())
			.jsonPath("$.deadLetters.total")
			.isEqualTo(0);
		this.client.delete()
			.uri("/actuator/eventy/retired")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.action")
			.isEqualTo("forget");
		assertThat(this.subscriptions.abandoned()).doesNotContain("retired");
		this.client.get().uri("/actuator/eventy/retired").exchange().expectStatus().isNotFound();
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
	 * Run, on the same database, an instance of this service with one more subscription,
	 * {@code retired}, until it handled a record; then stop it for good.
	 */
	private void runRetiredService() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ValidationAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, EventyAutoConfiguration.class,
					EventyPostgresAutoConfiguration.class, EventyHandlersAutoConfiguration.class))
			.withPropertyValues("spring.application.name=management-test", "eventy.service.namespace=urn:shop",
					"eventy.handlers.poll-interval=100ms")
			.withBean(DataSource.class, () -> this.dataSource)
			.withBean(Retired.class)
			.run((context) -> {
				String orderId = orderId();
				this.store.publish(new ManagementTestApplication.OrderPlaced(orderId));
				await().atMost(TIMEOUT).until(() -> context.getBean(Retired.class).handled.contains(orderId));
			});
	}

	/**
	 * The {@code retired} subscription.
	 */
	static class Retired {

		final List<String> handled = new CopyOnWriteArrayList<>();

		@EventHandler(subscription = "retired")
		void on(ManagementTestApplication.OrderPlaced order) {
			this.handled.add(order.orderId());
		}

	}

	/**
	 * Make the handler fail on a new record until it is a dead letter; the handler still
	 * fails afterwards.
	 */
	/**
	 * Wait until a re-driven dead letter's record is handled and no dead letter is left.
	 */
	private void awaitHandledAndGone(DeadLetter letter) {
		String orderId = letter.record().payload(ManagementTestApplication.OrderPlaced.class).orderId();
		await().atMost(TIMEOUT).until(() -> this.orders.handled.contains(orderId));
		await().atMost(TIMEOUT).until(() -> this.deadLetters.count("orders") == 0);
	}

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
