package io.eventy.store.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.serializer.JsonRecordSerializer;
import io.eventy.serializer.RecordSerializer;
import io.eventy.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import static org.awaitility.Awaitility.await;

/**
 * A Kafka store on topics of its own on the test broker.
 */
final class KafkaStoreFixture implements AutoCloseable {

	static final ObjectMapper MAPPER = new ObjectMapper();

	final String service;

	final KafkaTopics topics;

	final RecordTypeRegistry registry;

	final RecordFactory recordFactory;

	final RecordSerializer serializer;

	final KafkaEventStore store;

	KafkaStoreFixture() {
		this(PayloadValidator.none(), 1);
	}

	KafkaStoreFixture(PayloadValidator validator, int partitions) {
		this.service = KafkaTestBroker.uniqueName("svc");
		this.topics = KafkaTopics.forService(this.service);
		new KafkaTopicInitializer(KafkaTestBroker.adminProperties(), this.topics, partitions, null,
				Duration.ofSeconds(30))
			.initialize();
		this.registry = new RecordTypeRegistry("urn:" + this.service);
		this.recordFactory = new RecordFactory(this.registry, new JacksonPayloadConverter(MAPPER), validator,
				"urn:" + this.service);
		this.serializer = serializer();
		this.store = new KafkaEventStore(
				KafkaEventStore.producerFactory(KafkaTestBroker.producerProperties(), this.service + "-tx-"),
				this.topics, this.recordFactory, this.serializer);
	}

	static RecordSerializer serializer() {
		return new JsonRecordSerializer(MAPPER);
	}

	/**
	 * Read every committed record of a topic until at least {@code expected} were read,
	 * then a little longer to see extra ones.
	 */
	static List<ConsumerRecord<String, byte[]>> readTopic(String topic, int expected) {
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = KafkaTestBroker.newConsumer()) {
			consumer.subscribe(List.of(topic));
			await().atMost(KafkaTestBroker.timeout()).until(() -> {
				consumer.poll(Duration.ofMillis(100)).forEach(records::add);
				return records.size() >= expected && caughtUp(consumer);
			});
		}
		return records;
	}

	private static boolean caughtUp(KafkaConsumer<String, byte[]> consumer) {
		if (consumer.assignment().isEmpty()) {
			return false;
		}
		Map<org.apache.kafka.common.TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
		return ends.entrySet().stream().allMatch((end) -> consumer.position(end.getKey()) >= end.getValue());
	}

	@Override
	public void close() {
		this.store.close();
	}

}
