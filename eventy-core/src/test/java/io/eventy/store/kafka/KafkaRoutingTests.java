package io.eventy.store.kafka;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.eventy.handler.EventHandler;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordKind;
import io.eventy.record.RecordType;
import io.eventy.service.ServiceDefinition;
import io.eventy.service.UnknownServiceException;
import io.eventy.store.EventStore;
import io.eventy.testsupport.KafkaTestBroker;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Records routed among services on Kafka as Python eventy 3.x routes them: a request to
 * the requests topic of the service that owns its namespace, responses on the responding
 * service's responses topic, read by the requester and handled only when addressed to it.
 */
class KafkaRoutingTests {

	private static final String PAYMENT_NAMESPACE = "urn:pay";

	@Test
	void aRequestOfAnotherServicesNamespaceGoesToThatServicesRequestsTopic() {
		String orders = KafkaHandlerContexts.newService(1);
		String payment = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.startRouted(orders, "urn:" + orders,
				List.of(new ServiceDefinition(payment, PAYMENT_NAMESPACE)))) {
			context.getBean(EventStore.class).publish(new ChargePayment("42", 1200));
			List<EventyRecord> requests = KafkaStoreFixture.readTopic(payment + "-requests", 1)
				.stream()
				.map((record) -> KafkaStoreFixture.serializer().deserialize(record.value()))
				.toList();
			assertThat(requests).singleElement().satisfies((request) -> {
				assertThat(request.qualifiedName()).isEqualTo("urn:pay:ChargePayment");
				assertThat(request.source()).isEqualTo("urn:" + orders);
			});
		}
	}

	@Test
	void aRequestOfANamespaceNoServiceOwnsFailsNamingThePropertyAndSendsNothing() {
		String orders = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.startRouted(orders, "urn:" + orders,
				List.of())) {
			assertThatExceptionOfType(UnknownServiceException.class)
				.isThrownBy(() -> context.getBean(EventStore.class).publish(new ChargePayment("42", 1200)))
				.withMessageContaining("eventy.services.<service name>.namespace=urn:pay");
		}
	}

	@Test
	void aRequestRoundTripsThroughTheTargetsRequestsTopicAndItsResponsesTopicToTheRequester() {
		String orders = KafkaHandlerContexts.newService(1);
		String payment = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext paymentContext = KafkaHandlerContexts.startRouted(payment,
				PAYMENT_NAMESPACE, List.of(), Payments.class);
				AnnotationConfigApplicationContext ordersContext = KafkaHandlerContexts.startRouted(orders,
						"urn:" + orders, List.of(new ServiceDefinition(payment, PAYMENT_NAMESPACE)),
						ChargeResults.class)) {
			EventyRecord request = ordersContext.getBean(EventStore.class)
				.publish(new ChargePayment("42", 1200))
				.record();
			ChargeResults results = ordersContext.getBean(ChargeResults.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> results.responses.size() == 1);
			EventyRecord response = results.responses.get(0);
			assertThat(response.requestUuid()).isEqualTo(request.uuid());
			assertThat(response.destination()).isEqualTo("urn:" + orders);
			assertThat(response.source()).isEqualTo("urn:" + payment);
			assertThat(KafkaStoreFixture.readTopic(payment + "-responses", 1)).hasSize(1);
		}
	}

	@Test
	void aResponseAddressedToAThirdServiceIsNotHandledHere() {
		String orders = KafkaHandlerContexts.newService(1);
		String payment = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext paymentContext = KafkaHandlerContexts.startRouted(payment,
				PAYMENT_NAMESPACE, List.of());
				AnnotationConfigApplicationContext ordersContext = KafkaHandlerContexts.startRouted(orders,
						"urn:" + orders, List.of(new ServiceDefinition(payment, PAYMENT_NAMESPACE)),
						ChargeResults.class)) {
			EventStore paymentStore = paymentContext.getBean(EventStore.class);
			paymentStore.publish(response(payment, "urn:third-service"));
			paymentStore.publish(response(payment, "urn:" + orders));
			ChargeResults results = ordersContext.getBean(ChargeResults.class);
			// one partition: the response to us comes after the other one
			await().atMost(KafkaTestBroker.timeout()).until(() -> results.responses.size() == 1);
			assertThat(results.responses).singleElement()
				.satisfies((response) -> assertThat(response.destination()).isEqualTo("urn:" + orders));
		}
	}

	private static EventyRecord response(String source, String destination) {
		return EventyRecord.builder(RecordKind.RESPONSE)
			.namespace(PAYMENT_NAMESPACE)
			.name("PaymentCharged")
			.source("urn:" + source)
			.destination(destination)
			.requestUuid(UUID.randomUUID())
			.partitionKey("order-42")
			.data(KafkaStoreFixture.MAPPER.createObjectNode().put("orderId", "42"))
			.build();
	}

	@RecordType(namespace = PAYMENT_NAMESPACE, kind = RecordKind.REQUEST)
	record ChargePayment(String orderId, long amountCents) {
	}

	@RecordType(namespace = PAYMENT_NAMESPACE, kind = RecordKind.RESPONSE)
	record PaymentCharged(String orderId) {
	}

	static class Payments {

		@EventHandler
		PaymentCharged charge(ChargePayment request) {
			return new PaymentCharged(request.orderId());
		}

	}

	static class ChargeResults {

		final List<EventyRecord> responses = new CopyOnWriteArrayList<>();

		@EventHandler
		void charged(PaymentCharged charged, EventyRecord record) {
			this.responses.add(record);
		}

	}

}
