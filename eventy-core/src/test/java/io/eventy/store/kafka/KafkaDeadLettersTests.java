package io.eventy.store.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.eventy.handler.DeadLetter;
import io.eventy.handler.EventHandler;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordKind;
import io.eventy.store.kafka.KafkaTestRecords.OrderPlaced;
import io.eventy.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link KafkaDeadLetters} of records that cannot be read, on a real broker.
 */
class KafkaDeadLettersTests {

	/**
	 * A poison pill whose dead-letter copy is cut: too large for a request with its
	 * headers.
	 */
	private static final byte[] LARGE = new byte[1_048_000];

	static {
		Arrays.fill(LARGE, (byte) 'y');
	}

	@Test
	void malformedRecordsAreListedWithTheirValueAndReasonAndRedrivenToTheirSubscription() throws Exception {
		String service = KafkaHandlerContexts.newService(1);
		String topic = service + "-events";
		UUID uuid = UUID.randomUUID();
		String good = new String(KafkaStoreFixture.serializer()
			.serialize(EventyRecord.builder(RecordKind.EVENT)
				.namespace("urn:shop")
				.name("OrderPlaced")
				.source("urn:elsewhere")
				.uuid(uuid)
				.data(KafkaStoreFixture.MAPPER.valueToTree(new OrderPlaced("good", 1)))
				.build()), StandardCharsets.UTF_8);
		String notJson = "not json at all";
		String notAType = good.replace("\"type\":\"EVENT\"", "\"type\":\"COMMAND\"");
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Recording.class)) {
			send(topic, notJson, notAType, good);
			Recording recording = context.getBean(Recording.class);
			KafkaDeadLetters deadLetters = context.getBean(KafkaDeadLetters.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> recording.placed.size() == 1);
			await().atMost(KafkaTestBroker.timeout()).until(() -> deadLetters.list("recording").size() == 2);

			List<DeadLetter> letters = deadLetters.list("recording");
			assertThat(letters).extracting(DeadLetter::json).containsExactly(notJson, notAType);
			assertThat(letters).allSatisfy((letter) -> {
				assertThat(letter.readable()).isFalse();
				assertThat(letter.record()).isNull();
				assertThat(letter.subscription()).isEqualTo("recording");
				assertThat(letter.id()).matches(java.util.regex.Pattern.quote(topic + ".DLT-0@") + "\\d+");
				assertThat(letter.unreadable()).startsWith("Cannot read Eventy record");
				assertThat(letter.lastError()).startsWith("io.eventy.serializer.RecordSerializationException");
				assertThat(letter.attempts()).isEqualTo(1);
			});
			assertThat(letters.get(0).uuid()).isNull();
			assertThat(letters.get(0).qualifiedName()).isNull();
			// what can be read of a malformed envelope shows which record it is meant to
			// be
			assertThat(letters.get(1).uuid()).isEqualTo(uuid);
			assertThat(letters.get(1).qualifiedName()).isEqualTo("urn:shop:OrderPlaced");
			assertThat(letters.get(1).unreadable()).contains("type");

			assertThat(deadLetters.redrive("recording")).isEqualTo(2);
			List<ConsumerRecord<String, byte[]>> onTopic = KafkaStoreFixture.readTopic(topic, 5);
			assertThat(onTopic.subList(3, 5)).extracting((record) -> new String(record.value(), StandardCharsets.UTF_8))
				.containsExactly(notJson, notAType);
			assertThat(onTopic.subList(3, 5))
				.allSatisfy((record) -> assertThat(record.headers().lastHeader(EventyKafkaHeaders.REDRIVE_SUBSCRIPTION))
					.isNotNull());
			// still unreadable: dead again, as new dead letters
			List<String> firstIds = letters.stream().map(DeadLetter::id).toList();
			await().atMost(KafkaTestBroker.timeout())
				.until(() -> deadLetters.list("recording")
					.stream()
					.filter((letter) -> !firstIds.contains(letter.id()))
					.count() == 2);
			assertThat(deadLetters.list("recording")).extracting(DeadLetter::json).containsExactly(notJson, notAType);
			assertThat(recording.placed).containsExactly(new OrderPlaced("good", 1));
		}
	}

	@Test
	void deadLetterCutToFitARequestIsListedAndRedrivenWhole() throws Exception {
		String service = KafkaHandlerContexts.newService(1);
		String topic = service + "-events";
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Recording.class)) {
			sendLarge(topic);
			KafkaDeadLetters deadLetters = context.getBean(KafkaDeadLetters.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> deadLetters.list("recording").size() == 1);

			DeadLetter letter = deadLetters.list("recording").get(0);
			assertThat(letter.readable()).isFalse();
			assertThat(letter.json().length()).isPositive().isLessThan(LARGE.length);
			assertThat(letter.json().chars().allMatch((c) -> c == 'y')).isTrue();
			assertThat(letter.unreadable()).contains("of its 1048000 bytes, cut to fit a Kafka request")
				.endsWith("the whole record is at offset 0 of " + topic + "-0");

			assertThat(deadLetters.redrive("recording")).isOne();
			List<ConsumerRecord<String, byte[]>> onTopic = KafkaStoreFixture.readTopic(topic, 2);
			assertThat(onTopic).hasSize(2);
			assertThat(onTopic.get(1).value()).isEqualTo(LARGE);
			await().atMost(KafkaTestBroker.timeout())
				.until(() -> deadLetters.list("recording").stream().anyMatch((dead) -> !dead.id().equals(letter.id())));
		}
	}

	@Test
	void deadLetterCutToFitARequestStaysWhenItsTopicNoLongerHoldsTheWholeRecord() throws Exception {
		String service = KafkaHandlerContexts.newService(1);
		String topic = service + "-events";
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Recording.class)) {
			sendLarge(topic);
			KafkaDeadLetters deadLetters = context.getBean(KafkaDeadLetters.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> deadLetters.list("recording").size() == 1);
			DeadLetter letter = deadLetters.list("recording").get(0);
			try (Admin admin = Admin.create(KafkaTestBroker.adminProperties())) {
				admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(1)))
					.all()
					.get(30, TimeUnit.SECONDS);
			}

			assertThat(deadLetters.redrive("recording")).isZero();
			assertThat(deadLetters.list("recording")).singleElement().satisfies((kept) -> {
				assertThat(kept.id()).isNotEqualTo(letter.id());
				assertThat(kept.json()).isEqualTo(letter.json());
				assertThat(kept.unreadable()).isEqualTo(letter.unreadable());
				assertThat(kept.lastError()).isEqualTo(letter.lastError());
			});
			assertThat(KafkaStoreFixture.readTopic(topic, 0)).isEmpty();
		}
	}

	private static void sendLarge(String topic) throws Exception {
		Map<String, Object> bigRequests = new HashMap<>(KafkaTestBroker.producerProperties());
		bigRequests.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000_000);
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(bigRequests)) {
			producer.send(new ProducerRecord<>(topic, "pill", LARGE)).get(30, TimeUnit.SECONDS);
		}
	}

	private static void send(String topic, String... values) throws Exception {
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaTestBroker.producerProperties())) {
			for (String value : values) {
				producer.send(new ProducerRecord<>(topic, "key", value.getBytes(StandardCharsets.UTF_8)))
					.get(30, TimeUnit.SECONDS);
			}
		}
	}

	static class Recording {

		final List<OrderPlaced> placed = new CopyOnWriteArrayList<>();

		@EventHandler(subscription = "recording")
		void onOrderPlaced(OrderPlaced event) {
			this.placed.add(event);
		}

	}

}
