package io.eventy.store.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.handler.DeadLetter;
import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordKind;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.kafka.KafkaTestRecords.OrderPlaced;
import io.eventy.store.kafka.KafkaTestRecords.OrderShipped;
import io.eventy.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Subscriptions that read the topics of other services: a "shop" service writes
 * {@code <shop>-events} with a store of its own, and "billing" handles its records.
 */
class KafkaForeignTopicsTests {

	/** A topic named by a handler attribute, created by the test after the start. */
	static final String LATE_TOPIC = "foreign-tests-late-events";

	@Test
	void recordOfAnotherServiceReachesTheHandlerInItsContextAndWhatTheHandlerEmitsGoesToTheOwnTopic() {
		String shop = KafkaHandlerContexts.newService(2);
		String billing = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext shopContext = KafkaHandlerContexts.start(shop);
				AnnotationConfigApplicationContext billingContext = start(billing, shop, Shipping.class)) {
			StoredRecord placed;
			try (EventyContextHolder.Scope scope = EventyContextHolder
				.open(EventyContext.of("4bf92f3577b34da6a3ce929d0e0e4736", "request-42"))) {
				placed = shopContext.getBean(EventStore.class)
					.append(StreamId.of("order", "42"), ExpectedVersion.any(), new OrderPlaced("42", 4200))
					.records()
					.get(0);
			}
			Shipping shipping = billingContext.getBean(Shipping.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> shipping.mdc.size() == 1);

			assertThat(shipping.sources).containsExactly("urn:" + shop);
			assertThat(shipping.mdc.get(0)).containsEntry("traceId", "4bf92f3577b34da6a3ce929d0e0e4736")
				.containsEntry("requestId", "request-42");
			KafkaRecordMapper mapper = billingContext.getBean(KafkaEventStore.class).mapper();
			StoredRecord shipped = mapper.toStoredRecord(KafkaStoreFixture.readTopic(billing + "-events", 1).get(0));
			assertThat(shipped.record().name()).isEqualTo("OrderShipped");
			assertThat(shipped.record().source()).isEqualTo("urn:" + billing);
			assertThat(shipped.record().correlationId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
			assertThat(shipped.requestId()).isEqualTo("request-42");
			assertThat(shipped.causationId()).isEqualTo(placed.record().uuid().toString());
			assertThat(endOffset(shop + "-events")).as("nothing written to the shop's topic").isEqualTo(1);
		}
	}

	@Test
	void exactlyOnceHandlerOfAForeignRecordThatThrowsAfterProducingHasItsOutputCommittedOnce() {
		String shop = KafkaHandlerContexts.newService(1);
		String billing = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext shopContext = KafkaHandlerContexts.start(shop);
				AnnotationConfigApplicationContext billingContext = start(billing, shop, ExactlyOnce.class)) {
			shopContext.getBean(EventStore.class)
				.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("1", 1));
			ExactlyOnce handler = billingContext.getBean(ExactlyOnce.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> handler.succeeded.get() == 1);

			KafkaRecordMapper mapper = billingContext.getBean(KafkaEventStore.class).mapper();
			assertThat(KafkaStoreFixture.readTopic(billing + "-events", 1))
				.extracting((record) -> mapper.toStoredRecord(record).record().name())
				.containsExactly("OrderShipped");
			assertThat(handler.calls.get()).isEqualTo(2);
			KafkaSubscriptionSettings settings = billingContext.getBean(KafkaSubscriptionSettings.class);
			await().atMost(KafkaTestBroker.timeout())
				.until(() -> committed(settings.groupId("exactly-once"), new TopicPartition(shop + "-events", 0)),
						(offset) -> offset == 1L);
		}
	}

	@Test
	void failingForeignRecordIsDeadLetteredOnTheOwnEventsDeadLetterTopicAndRedrivenToTheOwnEventsTopic() {
		String shop = KafkaHandlerContexts.newService(1);
		String billing = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext shopContext = KafkaHandlerContexts.start(shop);
				AnnotationConfigApplicationContext billingContext = start(billing, shop, Failing.class)) {
			StoredRecord bad = shopContext.getBean(EventStore.class)
				.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("1", -1))
				.records()
				.get(0);
			KafkaDeadLetters deadLetters = billingContext.getBean(KafkaDeadLetters.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> deadLetters.list("failing").size() == 1);

			DeadLetter letter = deadLetters.list("failing").get(0);
			assertThat(letter.record().record().uuid()).isEqualTo(bad.record().uuid());
			assertThat(letter.attempts()).isEqualTo(3);
			ConsumerRecord<String, byte[]> onDlt = KafkaStoreFixture.readTopic(billing + "-events.DLT", 1).get(0);
			assertThat(header(onDlt, "kafka_dlt-original-topic")).isEqualTo(shop + "-events");
			assertThat(endOffset(shop + "-events.DLT")).as("nothing on the shop's dead-letter topic").isZero();

			Failing failing = billingContext.getBean(Failing.class);
			failing.healed = true;
			assertThat(deadLetters.redrive("failing")).isEqualTo(1);
			await().atMost(KafkaTestBroker.timeout()).until(() -> failing.succeeded.size() == 1);

			assertThat(failing.succeeded).containsExactly(new OrderPlaced("1", -1));
			assertThat(deadLetters.list("failing")).isEmpty();
			assertThat(endOffset(shop + "-events")).as("nothing written to the shop's topic").isEqualTo(1);
			ConsumerRecord<String, byte[]> redriven = KafkaStoreFixture.readTopic(billing + "-events", 1).get(0);
			assertThat(header(redriven, EventyKafkaHeaders.REDRIVE_SUBSCRIPTION)).isEqualTo(billing + ".failing");
		}
	}

	@Test
	void redrivenRecordIsHandledAgainOnlyByItsOwnServiceEvenWhenAnotherServiceHasASubscriptionOfTheSameName() {
		String shop = KafkaHandlerContexts.newService(1);
		String billing = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext shopContext = KafkaHandlerContexts.start(shop, Failing.class);
				AnnotationConfigApplicationContext billingContext = start(billing, shop, Failing.class)) {
			Failing shopFailing = shopContext.getBean(Failing.class);
			Failing billingFailing = billingContext.getBean(Failing.class);
			billingFailing.healed = true;
			shopContext.getBean(EventStore.class)
				.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("1", -1));
			KafkaDeadLetters shopDeadLetters = shopContext.getBean(KafkaDeadLetters.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> shopDeadLetters.list("failing").size() == 1);
			await().atMost(KafkaTestBroker.timeout()).until(() -> billingFailing.succeeded.size() == 1);
			shopFailing.healed = true;

			assertThat(shopDeadLetters.redrive("failing")).isEqualTo(1);
			await().atMost(KafkaTestBroker.timeout()).until(() -> shopFailing.succeeded.size() == 1);
			shopContext.getBean(EventStore.class)
				.append(StreamId.of("order", "2"), ExpectedVersion.any(), new OrderPlaced("2", 2));
			await().atMost(KafkaTestBroker.timeout()).until(() -> billingFailing.succeeded.size() == 2);

			assertThat(billingFailing.succeeded).containsExactly(new OrderPlaced("1", -1), new OrderPlaced("2", 2));
		}
	}

	@Test
	void handlerReadsATopicItNamesOnceItIsCreatedAndOtherSubscriptionsDoNotReadIt() throws Exception {
		String billing = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(billing, Late.class,
				KafkaSubscriptionsTests.Recording.class)) {
			assertThat(context.getBean(KafkaSubscriptions.class).isRunning()).isTrue();
			KafkaTestBroker.createTopics(1, LATE_TOPIC);
			byte[] value = KafkaStoreFixture.serializer()
				.serialize(EventyRecord.builder(RecordKind.EVENT)
					.namespace("urn:shop")
					.name("OrderPlaced")
					.source("urn:late-service")
					.data(KafkaStoreFixture.MAPPER.valueToTree(new OrderPlaced("late", 7)))
					.build());
			try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaTestBroker.producerProperties())) {
				producer.send(new ProducerRecord<>(LATE_TOPIC, "order-late", value)).get(30, TimeUnit.SECONDS);
			}
			context.getBean(EventStore.class)
				.append(StreamId.of("order", "own"), ExpectedVersion.any(), new OrderPlaced("own", 1));
			Late late = context.getBean(Late.class);
			KafkaSubscriptionsTests.Recording recording = context.getBean(KafkaSubscriptionsTests.Recording.class);
			await().atMost(Duration.ofMinutes(1)).until(() -> late.placed.size() == 2 && recording.placed.size() == 1);

			assertThat(late.placed).containsExactlyInAnyOrder(new OrderPlaced("late", 7), new OrderPlaced("own", 1));
			assertThat(recording.placed).containsExactly(new OrderPlaced("own", 1));
		}
	}

	private static AnnotationConfigApplicationContext start(String service, String foreignService,
			Class<?>... handlers) {
		return KafkaHandlerContexts.start(service, List.of(foreignService + "-events"),
				KafkaHandlerContexts.FAST_RETRIES, false, handlers);
	}

	private static long endOffset(String topic) {
		try (KafkaConsumer<String, byte[]> consumer = KafkaTestBroker.newConsumer()) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
		}
	}

	private static long committed(String group, TopicPartition partition) {
		Map<String, Object> properties = new HashMap<>(KafkaTestBroker.consumerProperties());
		properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties)) {
			OffsetAndMetadata offset = consumer.committed(Set.of(partition)).get(partition);
			return (offset != null) ? offset.offset() : -1;
		}
	}

	private static String header(ConsumerRecord<String, byte[]> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

	static class Shipping {

		final List<Map<String, String>> mdc = new CopyOnWriteArrayList<>();

		final List<String> sources = new CopyOnWriteArrayList<>();

		@EventHandler(subscription = "shipping")
		OrderShipped onOrderPlaced(OrderPlaced event, EventyRecord record) {
			Map<String, String> copy = MDC.getCopyOfContextMap();
			this.mdc.add((copy != null) ? copy : Map.of());
			this.sources.add(record.source());
			return new OrderShipped(event.orderId());
		}

	}

	static class Failing {

		final List<OrderPlaced> succeeded = new CopyOnWriteArrayList<>();

		volatile boolean healed;

		@EventHandler(subscription = "failing")
		void onOrderPlaced(OrderPlaced event) {
			if (event.amountCents() < 0 && !this.healed) {
				throw new IllegalStateException("negative amount");
			}
			this.succeeded.add(event);
		}

	}

	static class ExactlyOnce {

		final AtomicInteger calls = new AtomicInteger();

		final AtomicInteger succeeded = new AtomicInteger();

		private final EventStore store;

		ExactlyOnce(EventStore store) {
			this.store = store;
		}

		@EventHandler(subscription = "exactly-once", guarantee = Guarantee.EXACTLY_ONCE)
		void onOrderPlaced(OrderPlaced event) {
			this.store.publish(new OrderShipped(event.orderId()));
			if (this.calls.incrementAndGet() == 1) {
				throw new IllegalStateException("failed after producing");
			}
			this.succeeded.incrementAndGet();
		}

	}

	static class Late {

		final List<OrderPlaced> placed = new CopyOnWriteArrayList<>();

		@EventHandler(subscription = "late", topics = LATE_TOPIC)
		void onOrderPlaced(OrderPlaced event) {
			this.placed.add(event);
		}

	}

}
