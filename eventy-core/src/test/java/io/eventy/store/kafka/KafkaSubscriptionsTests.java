package io.eventy.store.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.handler.DeadLetter;
import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import io.eventy.handler.RetryPolicy;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.kafka.KafkaHandlerContexts.CaughtUp;
import io.eventy.store.kafka.KafkaTestRecords.OrderPlaced;
import io.eventy.store.kafka.KafkaTestRecords.OrderShipped;
import io.eventy.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.transaction.KafkaTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @EventHandler} subscriptions on a real broker.
 */
class KafkaSubscriptionsTests {

	@Test
	void handlesEachRecordOnceAndTheRecordsOfOneKeyInOrder() {
		String service = KafkaHandlerContexts.newService(3);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Recording.class)) {
			EventStore store = context.getBean(EventStore.class);
			for (int i = 0; i < 30; i++) {
				store.append(StreamId.of("order", Integer.toString(i % 5)), ExpectedVersion.any(),
						new OrderPlaced(Integer.toString(i % 5), i));
			}
			Recording recording = context.getBean(Recording.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> recording.placed.size() >= 30);

			assertThat(recording.placed).hasSize(30);
			for (int key = 0; key < 5; key++) {
				String orderId = Integer.toString(key);
				assertThat(recording.placed.stream().filter((order) -> order.orderId().equals(orderId)))
					.extracting(OrderPlaced::amountCents)
					.isSorted()
					.hasSize(6);
			}
		}
	}

	@Test
	void handlerRunsInTheContextOfItsRecordAndWhatItEmitsCarriesIt() {
		String service = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Shipping.class)) {
			EventStore store = context.getBean(EventStore.class);
			StoredRecord placed;
			try (EventyContextHolder.Scope scope = EventyContextHolder
				.open(EventyContext.of("4bf92f3577b34da6a3ce929d0e0e4736", "request-7"))) {
				placed = store.append(StreamId.of("order", "7"), ExpectedVersion.any(), new OrderPlaced("7", 700))
					.records()
					.get(0);
			}
			store.append(StreamId.of("order", "8"), ExpectedVersion.any(), new OrderPlaced("8", 800));
			Shipping shipping = context.getBean(Shipping.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> shipping.mdc.size() >= 2);

			assertThat(shipping.mdc.get(0)).containsEntry("traceId", "4bf92f3577b34da6a3ce929d0e0e4736")
				.containsEntry("requestId", "request-7");
			assertThat(shipping.mdc.get(1)).doesNotContainKey("requestId")
				.doesNotContainEntry("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
			KafkaRecordMapper mapper = context.getBean(KafkaEventStore.class).mapper();
			StoredRecord shipped = KafkaStoreFixture.readTopic(service + "-events", 4)
				.stream()
				.map(mapper::toStoredRecord)
				.filter((record) -> record.record().name().equals("OrderShipped"))
				.filter((record) -> record.payload(OrderShipped.class).orderId().equals("7"))
				.findFirst()
				.orElseThrow();
			assertThat(shipped.record().correlationId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
			assertThat(shipped.requestId()).isEqualTo("request-7");
			assertThat(shipped.causationId()).isEqualTo(placed.record().uuid().toString());
			assertThat(shipped.record().partitionKey()).isEqualTo("order-7");
		}
	}

	@Test
	void failingHandlerIsRetriedThenDeadLetteredWhileAnotherSubscriptionGoesOn() {
		String service = KafkaHandlerContexts.newService(1);
		RetryPolicy slowRetries = new RetryPolicy(4, Duration.ofMillis(500), 2.0, Duration.ofSeconds(2));
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, slowRetries, false,
				Failing.class, Recording.class)) {
			EventStore store = context.getBean(EventStore.class);
			StoredRecord bad = store.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("1", -1))
				.records()
				.get(0);
			store.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("1", 2));
			Recording recording = context.getBean(Recording.class);
			Failing failing = context.getBean(Failing.class);
			KafkaDeadLetters deadLetters = context.getBean(KafkaDeadLetters.class);

			await().atMost(KafkaTestBroker.timeout()).until(() -> recording.placed.size() == 2);
			assertThat(failing.succeeded).isEmpty();
			await().atMost(KafkaTestBroker.timeout()).until(() -> failing.succeeded.size() == 1);

			assertThat(failing.calls.get()).isEqualTo(5);
			assertThat(failing.succeeded).containsExactly(new OrderPlaced("1", 2));
			List<DeadLetter> letters = deadLetters.list("failing");
			assertThat(letters).singleElement().satisfies((letter) -> {
				assertThat(letter.record().record().uuid()).isEqualTo(bad.record().uuid());
				assertThat(letter.record().stream()).isEqualTo(StreamId.of("order", "1"));
				assertThat(letter.subscription()).isEqualTo("failing");
				assertThat(letter.attempts()).isEqualTo(4);
				assertThat(letter.lastError()).isEqualTo("java.lang.IllegalStateException: negative amount");
			});
			assertThat(deadLetters.list("recording")).isEmpty();
			ConsumerRecord<String, byte[]> onDlt = KafkaStoreFixture.readTopic(service + "-events.DLT", 1).get(0);
			assertThat(onDlt.key()).isEqualTo("order-1");
			assertThat(header(onDlt, EventyKafkaHeaders.DLT_SUBSCRIPTION)).isEqualTo("failing");
			assertThat(header(onDlt, EventyKafkaHeaders.DLT_ATTEMPTS)).isEqualTo("4");
			assertThat(header(onDlt, EventyKafkaHeaders.DLT_ERROR)).contains("negative amount");
			assertThat(header(onDlt, EventyKafkaHeaders.STREAM_ID)).isEqualTo("1");
		}
	}

	@Test
	void aHandlerFailingWithChangingExceptionsIsDeadLetteredAfterTheConfiguredAttempts() {
		String service = KafkaHandlerContexts.newService(1);
		RetryPolicy threeAttempts = new RetryPolicy(3, Duration.ofMillis(50), 1.0, Duration.ofMillis(50));
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, threeAttempts, false,
				Alternating.class)) {
			EventStore store = context.getBean(EventStore.class);
			store.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("1", 1));
			store.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("1", 2));
			Alternating alternating = context.getBean(Alternating.class);
			KafkaDeadLetters deadLetters = context.getBean(KafkaDeadLetters.class);
			await().atMost(KafkaTestBroker.timeout())
				.until(() -> deadLetters.list("alternating-at-least-once").size() == 2
						&& deadLetters.list("alternating-exactly-once").size() == 2);
			// a new exception type does not start the count again
			assertThat(alternating.atLeastOnce.get()).isEqualTo(6);
			assertThat(alternating.exactlyOnce.get()).isEqualTo(6);
			assertThat(deadLetters.list("alternating-at-least-once"))
				.allSatisfy((letter) -> assertThat(letter.attempts()).isEqualTo(3));
			assertThat(deadLetters.list("alternating-exactly-once"))
				.allSatisfy((letter) -> assertThat(letter.attempts()).isEqualTo(3));
		}
	}

	@Test
	void poisonPillsAreDeadLetteredAtOnceAndLaterRecordsAreStillHandled() throws Exception {
		String service = KafkaHandlerContexts.newService(1);
		String topic = service + "-events";
		byte[] good = goodRecord();
		String goodJson = new String(good, StandardCharsets.UTF_8);
		List<byte[]> pills = List.of("not json at all".getBytes(StandardCharsets.UTF_8),
				"{\"type\":\"EVENT\",\"name\":\"OrderPlaced\"}".getBytes(StandardCharsets.UTF_8),
				goodJson.replace("\"type\":\"EVENT\"", "\"type\":\"COMMAND\"").getBytes(StandardCharsets.UTF_8),
				goodJson.replace("\"amountCents\":1", "\"amountCents\":\"lots\"").getBytes(StandardCharsets.UTF_8));
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Recording.class)) {
			try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaTestBroker.producerProperties())) {
				for (byte[] pill : pills) {
					producer.send(new ProducerRecord<>(topic, "pill", pill)).get(30, TimeUnit.SECONDS);
				}
				producer.send(new ProducerRecord<>(topic, "pill", good)).get(30, TimeUnit.SECONDS);
			}
			Recording recording = context.getBean(Recording.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> recording.placed.size() == 1);

			assertThat(recording.placed).containsExactly(new OrderPlaced("good", 1));
			List<ConsumerRecord<String, byte[]>> dead = KafkaStoreFixture.readTopic(topic + ".DLT", 4);
			assertThat(dead).extracting(ConsumerRecord::value).containsExactlyElementsOf(pills);
			assertThat(dead).allSatisfy((letter) -> {
				assertThat(header(letter, EventyKafkaHeaders.DLT_SUBSCRIPTION)).isEqualTo("recording");
				assertThat(header(letter, EventyKafkaHeaders.DLT_ATTEMPTS)).isEqualTo("1");
			});
			assertThat(header(dead.get(0), EventyKafkaHeaders.DLT_ERROR))
				.startsWith("io.eventy.serializer.RecordSerializationException");
			assertThat(header(dead.get(3), EventyKafkaHeaders.DLT_ERROR))
				.startsWith("io.eventy.record.PayloadConversionException");
			List<DeadLetter> letters = context.getBean(KafkaDeadLetters.class).list("recording");
			assertThat(letters).extracting(DeadLetter::json)
				.containsExactlyInAnyOrderElementsOf(
						pills.stream().map((pill) -> new String(pill, StandardCharsets.UTF_8)).toList());
			assertThat(letters).filteredOn(DeadLetter::readable)
				.singleElement()
				.satisfies((letter) -> assertThat(letter.record().record().data().get("amountCents").asText())
					.isEqualTo("lots"));
		}
	}

	@Test
	void poisonPillsTooLargeForTheirDeadLetterCopyAreStillDeadLetteredAndTheirPartitionGoesOn() throws Exception {
		String service = KafkaHandlerContexts.newService(1);
		String topic = service + "-events";
		byte[] good = goodRecord();
		// the broker takes both (its limit is 1,048,588 bytes a batch); their copies with
		// the
		// error headers and a stack trace would not fit
		byte[] large = new byte[1_044_000];
		byte[] larger = new byte[1_048_000];
		Arrays.fill(large, (byte) 'x');
		Arrays.fill(larger, (byte) 'y');
		Map<String, Object> bigRequests = new HashMap<>(KafkaTestBroker.producerProperties());
		bigRequests.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000_000);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Recording.class)) {
			try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(bigRequests)) {
				producer.send(new ProducerRecord<>(topic, "pill", large)).get(30, TimeUnit.SECONDS);
				producer.send(new ProducerRecord<>(topic, "pill", larger)).get(30, TimeUnit.SECONDS);
				producer.send(new ProducerRecord<>(topic, "pill", good)).get(30, TimeUnit.SECONDS);
			}
			Recording recording = context.getBean(Recording.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> recording.placed.size() == 1);

			List<ConsumerRecord<String, byte[]>> dead = KafkaStoreFixture.readTopic(topic + ".DLT", 2);
			// without the stack trace it fits whole
			assertThat(dead.get(0).value()).isEqualTo(large);
			assertThat(dead.get(0).headers().lastHeader("kafka_dlt-exception-stacktrace")).isNull();
			assertThat(header(dead.get(0), EventyKafkaHeaders.DLT_ERROR))
				.startsWith("io.eventy.serializer.RecordSerializationException");
			// else its value is cut, and says how long it was
			assertThat(dead.get(1).value().length).isLessThan(larger.length);
			assertThat(header(dead.get(1), EventyKafkaHeaders.DLT_TRUNCATED)).isEqualTo("1048000");
			assertThat(header(dead.get(1), EventyKafkaHeaders.DLT_SUBSCRIPTION)).isEqualTo("recording");
		}
	}

	@Test
	void atMostOnceCommitsBeforeTheHandlerRunsAndNeverRetries() {
		String service = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, AtMostOnce.class)) {
			EventStore store = context.getBean(EventStore.class);
			StoredRecord record = store
				.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("1", 1))
				.records()
				.get(0);
			AtMostOnce handler = context.getBean(AtMostOnce.class);
			await().atMost(KafkaTestBroker.timeout())
				.until(() -> context.getBean(KafkaDeadLetters.class).list("at-most-once").size() == 1);

			assertThat(handler.calls.get()).isEqualTo(1);
			assertThat(handler.committedWhenCalled.get()).isEqualTo(record.position() + 1);
			assertThat(context.getBean(KafkaDeadLetters.class).list("at-most-once").get(0).attempts()).isEqualTo(1);
		}
	}

	@Test
	void exactlyOnceHandlerThatThrowsAfterProducingIsRetriedAndItsOutputIsSeenOnce() {
		String service = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, ExactlyOnce.class)) {
			EventStore store = context.getBean(EventStore.class);
			store.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("1", 1));
			ExactlyOnce handler = context.getBean(ExactlyOnce.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> handler.succeeded.get() == 1);

			String topic = service + "-events";
			KafkaRecordMapper mapper = context.getBean(KafkaEventStore.class).mapper();
			List<String> committed = KafkaStoreFixture.readTopic(topic, 3)
				.stream()
				.map((record) -> mapper.toStoredRecord(record).record().name())
				.toList();
			assertThat(committed).containsExactlyInAnyOrder("OrderPlaced", "OrderShipped", "OrderShipped");
			assertThat(handler.calls.get()).isEqualTo(2);
			List<String> uncommitted = readUncommitted(topic, 4).stream()
				.map((record) -> mapper.toStoredRecord(record).record().name())
				.toList();
			assertThat(uncommitted).filteredOn("OrderShipped"::equals).hasSize(3);
		}
	}

	@Test
	void newSubscriptionStartsAtTheLatestRecordWhenConfigured() {
		String service = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext writer = KafkaHandlerContexts.start(service)) {
			writer.getBean(EventStore.class)
				.append(StreamId.of("order", "old"), ExpectedVersion.any(), new OrderPlaced("old", 1));
		}
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service,
				KafkaHandlerContexts.FAST_RETRIES, true, Recording.class)) {
			await().atMost(KafkaTestBroker.timeout())
				.until(() -> context.getBean(CaughtUp.class).subscriptions.contains("recording"));
			context.getBean(EventStore.class)
				.append(StreamId.of("order", "new"), ExpectedVersion.any(), new OrderPlaced("new", 2));
			Recording recording = context.getBean(Recording.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> recording.placed.size() == 1);

			assertThat(recording.placed).containsExactly(new OrderPlaced("new", 2));
		}
	}

	@Test
	void caughtUpIsPublishedOnceEverythingStoredBeforeTheStartWasHandled() {
		String service = KafkaHandlerContexts.newService(2);
		try (AnnotationConfigApplicationContext writer = KafkaHandlerContexts.start(service)) {
			EventStore store = writer.getBean(EventStore.class);
			for (int i = 0; i < 20; i++) {
				store.append(StreamId.of("order", Integer.toString(i)), ExpectedVersion.any(),
						new OrderPlaced(Integer.toString(i), i));
			}
			store.append(StreamId.of("order", "x"), ExpectedVersion.any(), new OrderShipped("x"),
					new OrderShipped("y"));
		}
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Recording.class)) {
			Recording recording = context.getBean(Recording.class);
			await().atMost(KafkaTestBroker.timeout())
				.until(() -> context.getBean(CaughtUp.class).subscriptions.contains("recording"));

			assertThat(recording.placedWhenCaughtUp.get()).isEqualTo(20);
			assertThat(context.getBean(CaughtUp.class).subscriptions).containsOnlyOnce("recording");
		}
	}

	@Test
	void deadLettersAreRedrivenToTheirSubscriptionOnly() {
		String service = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Failing.class,
				Recording.class)) {
			EventStore store = context.getBean(EventStore.class);
			store.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("1", -5));
			KafkaDeadLetters deadLetters = context.getBean(KafkaDeadLetters.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> deadLetters.list("failing").size() == 1);
			Failing failing = context.getBean(Failing.class);
			failing.healed = true;

			assertThat(deadLetters.redrive("failing")).isEqualTo(1);
			await().atMost(KafkaTestBroker.timeout()).until(() -> failing.succeeded.size() == 1);

			assertThat(failing.succeeded).containsExactly(new OrderPlaced("1", -5));
			assertThat(deadLetters.list("failing")).isEmpty();
			assertThat(deadLetters.redrive("failing")).isZero();
			store.append(StreamId.of("order", "2"), ExpectedVersion.any(), new OrderPlaced("2", 1));
			Recording recording = context.getBean(Recording.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> recording.placed.size() == 2);
			assertThat(recording.placed).containsExactly(new OrderPlaced("1", -5), new OrderPlaced("2", 1));
		}
	}

	@Test
	void twoApplicationsInOneConsumerGroupSplitThePartitionsAndHandleEachRecordOnce() {
		String service = KafkaHandlerContexts.newService(2);
		try (AnnotationConfigApplicationContext first = KafkaHandlerContexts.start(service, Recording.class);
				AnnotationConfigApplicationContext second = KafkaHandlerContexts.start(service, Recording.class)) {
			await().atMost(KafkaTestBroker.timeout())
				.until(() -> partitionsOf(first) == 3 && partitionsOf(second) == 3);
			EventStore store = first.getBean(EventStore.class);
			for (int i = 0; i < 40; i++) {
				store.append(StreamId.of("order", Integer.toString(i)), ExpectedVersion.any(),
						new OrderPlaced(Integer.toString(i), i));
			}
			Recording one = first.getBean(Recording.class);
			Recording two = second.getBean(Recording.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> one.placed.size() + two.placed.size() >= 40);

			List<OrderPlaced> all = new ArrayList<>(one.placed);
			all.addAll(two.placed);
			assertThat(all).hasSize(40).doesNotHaveDuplicates();
			assertThat(one.placed).isNotEmpty();
			assertThat(two.placed).isNotEmpty();
		}
	}

	@Test
	void containersStartFromTheDefaultContainerPropertiesAndKeepWhatTheGuaranteesNeed() {
		String service = KafkaHandlerContexts.newService(2);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Recording.class,
				ExactlyOnce.class, ContainerDefaults.class)) {
			EventStore store = context.getBean(EventStore.class);
			store.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("1", 1));
			await().atMost(KafkaTestBroker.timeout())
				.until(() -> context.getBean(Recording.class).placed.size() == 1
						&& context.getBean(ExactlyOnce.class).succeeded.get() == 1);

			List<ConcurrentMessageListenerContainer<String, byte[]>> containers = context
				.getBean(KafkaSubscriptions.class)
				.containers();
			assertThat(containers).hasSize(2).allSatisfy((container) -> {
				ContainerProperties properties = container.getContainerProperties();
				assertThat(container.getConcurrency()).isEqualTo(2);
				assertThat(container.getContainers()).hasSize(2);
				// the defaults'
				assertThat(properties.getMonitorInterval()).isEqualTo(7);
				assertThat(properties.getShutdownTimeout()).isEqualTo(3000);
				// Eventy's own
				assertThat(properties.getAckMode()).isEqualTo(ContainerProperties.AckMode.BATCH);
				assertThat(properties.getPollTimeout()).isEqualTo(200);
				assertThat(properties.getGroupId()).startsWith(service + ".");
				assertThat(properties.isMissingTopicsFatal()).isFalse();
			});
			assertThat(containers).filteredOn((container) -> container.getGroupId().endsWith(".recording"))
				.singleElement()
				.satisfies(
						(container) -> assertThat(container.getContainerProperties().getKafkaAwareTransactionManager())
							.isNull());
			assertThat(containers).filteredOn((container) -> container.getGroupId().endsWith(".exactly-once"))
				.singleElement()
				.satisfies((container) -> assertThat(
						container.getContainerProperties().getKafkaAwareTransactionManager().getProducerFactory())
					.isSameAs(context.getBean(KafkaEventStore.class).producerFactoryInUse()));
		}
	}

	private static int partitionsOf(AnnotationConfigApplicationContext context) {
		return context.getBean(KafkaSubscriptions.class).assignedPartitions();
	}

	private static String header(ConsumerRecord<String, byte[]> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

	private static List<ConsumerRecord<String, byte[]>> readUncommitted(String topic, int expected) {
		Map<String, Object> properties = new HashMap<>(KafkaTestBroker.consumerProperties());
		properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties)) {
			consumer.subscribe(List.of(topic));
			await().atMost(KafkaTestBroker.timeout()).until(() -> {
				consumer.poll(Duration.ofMillis(100)).forEach(records::add);
				return records.size() >= expected;
			});
		}
		return records;
	}

	@Configuration(proxyBeanMethods = false)
	static class ContainerDefaults {

		@Bean
		java.util.function.Consumer<KafkaSubscriptions> containerDefaults() {
			return (subscriptions) -> {
				ContainerProperties defaults = new ContainerProperties("ignored");
				defaults.setMonitorInterval(7);
				defaults.setShutdownTimeout(3000);
				defaults.setAckMode(ContainerProperties.AckMode.RECORD);
				defaults.setPollTimeout(9000);
				defaults.setGroupId("ignored");
				defaults.setMissingTopicsFatal(true);
				defaults.setKafkaAwareTransactionManager(new KafkaTransactionManager<>(KafkaEventStore
					.producerFactory(KafkaTestBroker.producerProperties(), KafkaTestBroker.uniqueName("app-tx"))));
				subscriptions.setContainerDefaults(defaults);
				subscriptions.setConcurrency(2);
			};
		}

	}

	static class Recording {

		final List<OrderPlaced> placed = new CopyOnWriteArrayList<>();

		final AtomicInteger placedWhenCaughtUp = new AtomicInteger(-1);

		@EventHandler(subscription = "recording")
		void onOrderPlaced(OrderPlaced event) {
			this.placed.add(event);
		}

		@org.springframework.context.event.EventListener
		void onCaughtUp(io.eventy.handler.SubscriptionCaughtUpEvent event) {
			if (event.subscription().equals("recording")) {
				this.placedWhenCaughtUp.set(this.placed.size());
			}
		}

	}

	static class Failing {

		final AtomicInteger calls = new AtomicInteger();

		final List<OrderPlaced> succeeded = new CopyOnWriteArrayList<>();

		volatile boolean healed;

		@EventHandler(subscription = "failing")
		void onOrderPlaced(OrderPlaced event) {
			this.calls.incrementAndGet();
			if (event.amountCents() < 0 && !this.healed) {
				throw new IllegalStateException("negative amount");
			}
			this.succeeded.add(event);
		}

	}

	/**
	 * Return the bytes of a valid record written by another service.
	 */
	private static byte[] goodRecord() {
		return KafkaStoreFixture.serializer()
			.serialize(io.eventy.record.EventyRecord.builder(io.eventy.record.RecordKind.EVENT)
				.namespace("urn:shop")
				.name("OrderPlaced")
				.source("urn:elsewhere")
				.data(KafkaStoreFixture.MAPPER.valueToTree(new OrderPlaced("good", 1)))
				.build());
	}

	static class Alternating {

		final AtomicInteger atLeastOnce = new AtomicInteger();

		final AtomicInteger exactlyOnce = new AtomicInteger();

		@EventHandler(subscription = "alternating-at-least-once")
		void atLeastOnce(OrderPlaced event) {
			fail(this.atLeastOnce.incrementAndGet());
		}

		@EventHandler(subscription = "alternating-exactly-once", guarantee = Guarantee.EXACTLY_ONCE)
		void exactlyOnce(OrderPlaced event) {
			fail(this.exactlyOnce.incrementAndGet());
		}

		private static void fail(int call) {
			if (call % 2 == 0) {
				throw new IllegalStateException("even call " + call);
			}
			throw new IllegalArgumentException("odd call " + call);
		}

	}

	static class Shipping {

		final List<Map<String, String>> mdc = new CopyOnWriteArrayList<>();

		@EventHandler(subscription = "shipping")
		OrderShipped onOrderPlaced(OrderPlaced event) {
			Map<String, String> copy = MDC.getCopyOfContextMap();
			this.mdc.add((copy != null) ? copy : Map.of());
			return new OrderShipped(event.orderId());
		}

	}

	static class AtMostOnce {

		final AtomicInteger calls = new AtomicInteger();

		final AtomicLong committedWhenCalled = new AtomicLong(-1);

		private final KafkaSubscriptionSettings settings;

		AtMostOnce(KafkaSubscriptionSettings settings) {
			this.settings = settings;
		}

		@EventHandler(subscription = "at-most-once", guarantee = Guarantee.AT_MOST_ONCE)
		void onOrderPlaced(OrderPlaced event, StoredRecord record) throws Exception {
			this.calls.incrementAndGet();
			try (Admin admin = Admin.create(KafkaTestBroker.adminProperties())) {
				Map<TopicPartition, OffsetAndMetadata> offsets = admin
					.listConsumerGroupOffsets(this.settings.groupId("at-most-once"))
					.partitionsToOffsetAndMetadata()
					.get(30, TimeUnit.SECONDS);
				OffsetAndMetadata offset = offsets.get(new TopicPartition(this.settings.groupPrefix() + "-events", 0));
				this.committedWhenCalled.set((offset != null) ? offset.offset() : -1);
			}
			throw new IllegalStateException("at most once failed");
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
		OrderShipped onOrderPlaced(OrderPlaced event) {
			this.store.publish(new OrderShipped(event.orderId()));
			if (this.calls.incrementAndGet() == 1) {
				throw new IllegalStateException("failed after producing");
			}
			this.succeeded.incrementAndGet();
			return new OrderShipped(event.orderId());
		}

	}

}
