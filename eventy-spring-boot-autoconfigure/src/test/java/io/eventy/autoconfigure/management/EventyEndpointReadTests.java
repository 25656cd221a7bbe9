package io.eventy.autoconfigure.management;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.eventy.handler.DeadLetters;
import io.eventy.handler.Subscriptions;
import io.eventy.store.EventStore;
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
 * The {@code eventy} endpoint with its defaults, through HTTP on a real server and a real
 * PostgreSQL store: it reads, and offers no write operation.
 */
@SpringBootTest(classes = ManagementTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=management-test", "eventy.service.namespace=urn:shop",
				"eventy.handlers.poll-interval=100ms", "eventy.handlers.retry.max-attempts=2",
				"eventy.handlers.retry.initial-interval=10ms",
				"management.endpoints.web.exposure.include=eventy,health" })
class EventyEndpointReadTests {

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

	@Test
	void listsTheSubscriptionsWithEveryFieldOfTheirStatus() {
		this.client.get()
			.uri("/actuator/eventy")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.writeOperations")
			.isEqualTo(false)
			.jsonPath("$.abandoned")
			.isArray()
			.jsonPath("$.subscriptions[0].name")
			.isEqualTo("orders")
			.jsonPath("$.subscriptions[0].store")
			.isEqualTo("postgres")
			.jsonPath("$.subscriptions[0].guarantee")
			.isEqualTo("AT_LEAST_ONCE")
			.jsonPath("$.subscriptions[0].segments")
			.isEqualTo(1)
			.jsonPath("$.subscriptions[0].state")
			.isNotEmpty()
			.jsonPath("$.subscriptions[0].checkpoints[0].part")
			.isEqualTo("0")
			.jsonPath("$.subscriptions[0].checkpoints[0].position")
			.isNumber()
			.jsonPath("$.subscriptions[0].checkpoints[0].lag")
			.isNumber()
			.jsonPath("$.subscriptions[0].lag")
			.isNumber()
			.jsonPath("$.subscriptions[0].rate")
			.isNumber()
			.jsonPath("$.subscriptions[0].deadLetters")
			.isNumber()
			.jsonPath("$.subscriptions[0]")
			.value(Map.class, (subscription) -> assertThat(subscription).containsOnlyKeys("name", "store", "guarantee",
					"segments", "state", "checkpoints", "lag", "rate", "deadLetters", "lastError", "lastErrorAt"))
			.jsonPath("$.subscriptions[0].checkpoints[0]")
			.value(Map.class,
					(checkpoint) -> assertThat(checkpoint).containsOnlyKeys("part", "position", "lag", "owner"));
	}

	@Test
	void showsOneSubscriptionWithItsDeadLettersPaged() {
		this.orders.failing.set(true);
		try {
			List<String> ids = IntStream.range(0, 3).mapToObj((i) -> "paged-" + i).toList();
			ids.forEach((id) -> this.store.publish(new ManagementTestApplication.OrderPlaced(id)));
			await().atMost(Duration.ofSeconds(20)).until(() -> this.deadLetters.count("orders") >= 3);
		}
		finally {
			this.orders.failing.set(false);
		}
		long total = this.deadLetters.count("orders");
		this.client.get()
			.uri("/actuator/eventy/orders?offset=1&limit=1")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.name")
			.isEqualTo("orders")
			.jsonPath("$.abandoned")
			.isEqualTo(false)
			.jsonPath("$.writeOperations")
			.isEqualTo(false)
			.jsonPath("$.subscription.name")
			.isEqualTo("orders")
			.jsonPath("$.subscription.deadLetters")
			.isEqualTo((int) total)
			.jsonPath("$.deadLetters.offset")
			.isEqualTo(1)
			.jsonPath("$.deadLetters.limit")
			.isEqualTo(1)
			.jsonPath("$.deadLetters.total")
			.isEqualTo((int) total)
			.jsonPath("$.deadLetters.items.length()")
			.isEqualTo(1)
			.jsonPath("$.deadLetters.items[0].id")
			.isEqualTo(this.deadLetters.list("orders").get(1).id())
			.jsonPath("$.deadLetters.items[0].uuid")
			.isEqualTo(this.deadLetters.list("orders").get(1).uuid().toString())
			.jsonPath("$.deadLetters.items[0].qualifiedName")
			.isEqualTo("urn:shop:OrderPlaced")
			.jsonPath("$.deadLetters.items[0].readable")
			.isEqualTo(true)
			.jsonPath("$.deadLetters.items[0].unreadable")
			.value((unreadable) -> assertThat(unreadable).isNull())
			.jsonPath("$.deadLetters.items[0].json")
			.value(String.class, (json) -> assertThat(json).contains("\"name\"", "OrderPlaced", "paged-"))
			.jsonPath("$.deadLetters.items[0].attempts")
			.isEqualTo(2)
			.jsonPath("$.deadLetters.items[0].lastError")
			.value(String.class,
					(error) -> assertThat(error).contains("IllegalStateException", "Warehouse unreachable"))
			.jsonPath("$.deadLetters.items[0].deadAt")
			.value(String.class, (deadAt) -> assertThat(deadAt).matches("\\d{4}-\\d\\d-\\d\\dT.*Z"));
		this.client.get()
			.uri("/actuator/eventy/orders")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.deadLetters.offset")
			.isEqualTo(0)
			.jsonPath("$.deadLetters.limit")
			.isEqualTo(EventyEndpoint.DEFAULT_LIMIT)
			.jsonPath("$.deadLetters.items.length()")
			.isEqualTo((int) total);
	}

	@Test
	void answers404ForAnUnknownSubscription() {
		this.client.get()
			.uri("/actuator/eventy/no-such-subscription")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(404)
			.jsonPath("$.error")
			.isEqualTo("No subscription named 'no-such-subscription' in this service");
	}

	@Test
	void answers400ForAPageOutOfRange() {
		this.client.get()
			.uri("/actuator/eventy/orders?limit=501")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("limit must be between 1 and 500, got 501");
		this.client.get()
			.uri("/actuator/eventy/orders?offset=-1")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.value(String.class, (error) -> assertThat(error).startsWith("offset must not be negative"));
	}

	@Test
	void offersNoWriteOperationByDefault() {
		this.client.post()
			.uri("/actuator/eventy/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"action\":\"pause\"}")
			.exchange()
			.expectStatus()
			.isEqualTo(405);
		this.client.delete().uri("/actuator/eventy/orders").exchange().expectStatus().isEqualTo(405);
		assertThat(this.subscriptions.get("orders").state().name()).isNotEqualTo("PAUSED");
		this.client.get()
			.uri("/actuator")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$._links['eventy-subscription'].href")
			.value(String.class, (href) -> assertThat(href).endsWith("/actuator/eventy/{subscription}"))
			.jsonPath("$._links.eventy.href")
			.exists();
	}

}
