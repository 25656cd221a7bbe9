package io.eventy.store.postgres;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.eventy.handler.EventHandler;
import io.eventy.handler.HandlerObserver;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordKind;
import io.eventy.record.RecordType;
import io.eventy.service.ServiceDefinition;
import io.eventy.service.ServiceRegistry;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On PostgreSQL, one database shared by the services as their bus, the protocol's routing
 * holds by namespace and destination: a response reaches only the service it is addressed
 * to, a request only the service that owns its namespace.
 */
class PostgresRoutingTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	// the handler fixture's record factory writes source urn:test-service
	private static final ServiceRegistry SERVICES = new ServiceRegistry(
			new ServiceDefinition("test-service", "urn:test"), "urn:test-service",
			List.of(new ServiceDefinition("payment", "urn:pay")));

	private final PGSimpleDataSource dataSource = PostgresHandlerFixture.database();

	@Test
	void aResponseAddressedToAThirdServiceIsNotHandledHereOneAddressedHereIs() {
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("services", ServiceRegistry.class, () -> SERVICES)
			.bean("results", ChargeResults.class)
			.start()) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			store.publish(response("urn:third-service"));
			store.publish(response("urn:test-service"));
			store.publish(response("urn:test"));
			ChargeResults results = context.getBean(ChargeResults.class);
			await().atMost(DEADLINE).until(() -> results.destinations.size() == 2);
			assertThat(results.destinations).containsExactly("urn:test-service", "urn:test");
		}
	}

	@Test
	void aRecordRoutedElsewhereIsNeitherCalledNorCountedAsHandled() {
		List<HandlerObserver.Outcome> outcomes = new CopyOnWriteArrayList<>();
		HandlerObserver observer = new HandlerObserver() {
			@Override
			public void handled(String subscription, Outcome outcome) {
				outcomes.add(outcome);
			}
		};
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("services", ServiceRegistry.class, () -> SERVICES)
			.bean("results", ChargeResults.class)
			.observer(observer)
			.start()) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			store.publish(response("urn:third-service"));
			store.publish(response("urn:third-service"));
			store.publish(response("urn:test-service"));
			ChargeResults results = context.getBean(ChargeResults.class);
			await().atMost(DEADLINE).until(() -> results.destinations.size() == 1);
			assertThat(outcomes).containsExactly(HandlerObserver.Outcome.SUCCESS);
		}
	}

	@Test
	void aRequestInAnotherDeclaredServicesNamespaceIsNotHandledHereOneInOurNamespaceIs() {
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("services", ServiceRegistry.class, () -> SERVICES)
			.bean("requests", AnyRequest.class)
			.start()) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			store.publish(request("urn:pay", "Charge"));
			store.publish(request("urn:test", "Charge"));
			AnyRequest requests = context.getBean(AnyRequest.class);
			await().atMost(DEADLINE).until(() -> requests.handled.size() == 1);
			assertThat(requests.handled).containsExactly("urn:test:Charge");
		}
	}

	private static EventyRecord response(String destination) {
		return EventyRecord.builder(RecordKind.RESPONSE)
			.namespace("urn:pay")
			.name("PaymentCharged")
			.source("urn:payment")
			.destination(destination)
			.requestUuid(UUID.randomUUID())
			.partitionKey("order-42")
			.data(JsonNodeFactory.instance.objectNode().put("orderId", "42"))
			.build();
	}

	private static EventyRecord request(String namespace, String name) {
		return EventyRecord.builder(RecordKind.REQUEST)
			.namespace(namespace)
			.name(name)
			.source("urn:orders")
			.partitionKey("order-42")
			.build();
	}

	@RecordType(namespace = "urn:pay", kind = RecordKind.RESPONSE)
	record PaymentCharged(String orderId) {
	}

	static class ChargeResults {

		final List<String> destinations = new CopyOnWriteArrayList<>();

		@EventHandler
		void charged(PaymentCharged charged, EventyRecord record) {
			this.destinations.add(record.destination());
		}

	}

	static class AnyRequest {

		final List<String> handled = new CopyOnWriteArrayList<>();

		@EventHandler(name = "urn:(pay|test):Charge")
		void request(JsonNode data, EventyRecord record) {
			this.handled.add(record.qualifiedName());
		}

	}

}
