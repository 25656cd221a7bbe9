package io.eventy.store.kafka;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.eventy.handler.DeadLetter;
import io.eventy.handler.EventHandler;
import io.eventy.store.EventStore;
import io.eventy.store.StoredRecord;
import io.eventy.store.kafka.KafkaTestRecords.OrderPlaced;
import io.eventy.testsupport.KafkaTestBroker;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for re-driving and discarding single dead letters with {@link KafkaDeadLetters},
 * on a real broker.
 */
class KafkaDeadLetterOperationsTests {

	@Test
	void oneDeadLetterIsRedrivenAndTheOthersStayInOrder() {
		String service = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Picky.class)) {
			List<UUID> uuids = deadLetters(context, 3);
			KafkaDeadLetters deadLetters = context.getBean(KafkaDeadLetters.class);
			Picky picky = context.getBean(Picky.class);
			picky.accepted.add("order-1");

			assertThat(deadLetters.redrive("picky", uuids.get(1))).isTrue();

			await().atMost(KafkaTestBroker.timeout()).until(() -> picky.handled.size() == 1);
			assertThat(picky.handled).extracting(OrderPlaced::orderId).containsExactly("order-1");
			assertThat(deadLetters.list("picky")).extracting(DeadLetter::uuid)
				.containsExactly(uuids.get(0), uuids.get(2));
			assertThat(deadLetters.count("picky")).isEqualTo(2);
			assertThat(deadLetters.redrive("picky", UUID.randomUUID())).isFalse();
			assertThat(deadLetters.count("picky")).isEqualTo(2);
		}
	}

	@Test
	void oneDeadLetterIsDiscardedForGood() {
		String service = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Picky.class)) {
			List<UUID> uuids = deadLetters(context, 3);
			KafkaDeadLetters deadLetters = context.getBean(KafkaDeadLetters.class);

			assertThat(deadLetters.discard("picky", uuids.get(0))).isTrue();

			assertThat(deadLetters.list("picky")).extracting(DeadLetter::uuid)
				.containsExactly(uuids.get(1), uuids.get(2));
			assertThat(deadLetters.discard("picky", uuids.get(0))).isFalse();
			Picky picky = context.getBean(Picky.class);
			picky.accepted.add("order-0");
			picky.accepted.add("order-1");
			picky.accepted.add("order-2");
			assertThat(deadLetters.redrive("picky")).isEqualTo(2);
			await().atMost(KafkaTestBroker.timeout()).until(() -> picky.handled.size() == 2);
			assertThat(picky.handled).extracting(OrderPlaced::orderId).containsExactly("order-1", "order-2");
		}
	}

	@Test
	void everyDeadLetterIsDiscarded() {
		String service = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Picky.class)) {
			deadLetters(context, 3);
			KafkaDeadLetters deadLetters = context.getBean(KafkaDeadLetters.class);

			assertThat(deadLetters.discard("picky")).isEqualTo(3);

			assertThat(deadLetters.list("picky")).isEmpty();
			assertThat(deadLetters.count("picky")).isZero();
			assertThat(deadLetters.discard("picky")).isZero();
		}
	}

	private static List<UUID> deadLetters(AnnotationConfigApplicationContext context, int count) {
		EventStore store = context.getBean(EventStore.class);
		List<UUID> uuids = new CopyOnWriteArrayList<>();
		for (int i = 0; i < count; i++) {
			StoredRecord stored = store.publish(new OrderPlaced("order-" + i, i));
			uuids.add(stored.record().uuid());
		}
		KafkaDeadLetters deadLetters = context.getBean(KafkaDeadLetters.class);
		await().atMost(KafkaTestBroker.timeout()).until(() -> deadLetters.count("picky") == count);
		assertThat(deadLetters.list("picky")).extracting(DeadLetter::uuid).containsExactlyElementsOf(uuids);
		return uuids;
	}

	static class Picky {

		final List<String> accepted = new CopyOnWriteArrayList<>();

		final List<OrderPlaced> handled = new CopyOnWriteArrayList<>();

		@EventHandler(subscription = "picky")
		void onOrderPlaced(OrderPlaced event) {
			if (!this.accepted.contains(event.orderId())) {
				throw new IllegalStateException("not accepted yet: " + event.orderId());
			}
			this.handled.add(event);
		}

	}

}
