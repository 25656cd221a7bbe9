package io.eventy.store.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.eventy.context.EventyContextHolder;
import io.eventy.handler.EventHandler;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordType;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StreamId;
import io.eventy.testsupport.KafkaTestBroker;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Context entries opened in a scope go into the records appended there, a handler reads
 * them as a type, and what it emits carries them, on the Kafka store.
 */
class KafkaContextEntriesTests {

	@Test
	void contextEntryOfAScopeReachesTheRecordItsHandlerAndWhatTheHandlerEmits() {
		String service = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Shipping.class)) {
			try (EventyContextHolder.Scope scope = EventyContextHolder.openWithEntry("tenant", new Tenant("acme"))) {
				context.getBean(EventStore.class)
					.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("1"));
			}
			Shipping shipping = context.getBean(Shipping.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> shipping.tenants.size() == 1);
			assertThat(shipping.tenants).containsExactly(new Tenant("acme"));
			List<EventyRecord> records = KafkaStoreFixture.readTopic(service + "-events", 2)
				.stream()
				.map((record) -> KafkaStoreFixture.serializer().deserialize(record.value()))
				.toList();
			assertThat(records).extracting(EventyRecord::name).containsExactly("OrderPlaced", "OrderShipped");
			assertThat(records)
				.allSatisfy((record) -> assertThat(record.context()).isEqualTo(Map.of("tenant", Map.of("id", "acme"))));
		}
	}

	record Tenant(String id) {
	}

	@RecordType(namespace = "urn:shop")
	record OrderPlaced(String orderId) {
	}

	@RecordType(namespace = "urn:shop")
	record OrderShipped(String orderId) {
	}

	static class Shipping {

		final List<Tenant> tenants = new CopyOnWriteArrayList<>();

		@EventHandler
		OrderShipped ship(OrderPlaced order) {
			this.tenants.add(EventyContextHolder.entry("tenant", Tenant.class).orElseThrow());
			return new OrderShipped(order.orderId());
		}

	}

}
