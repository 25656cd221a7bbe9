package io.eventy.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class KafkaTestBrokerTests {

	@Test
	void brokerServesRecordsAgainOnTheSamePortAfterARestart() throws Exception {
		String topic = KafkaTestBroker.uniqueName("restart");
		KafkaTestBroker.createTopics(1, topic);
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaTestBroker.producerProperties())) {
			producer.send(new ProducerRecord<>(topic, "k", bytes("before"))).get(30, TimeUnit.SECONDS);
			KafkaTestBroker.stop();
			KafkaTestBroker.start();
			producer.send(new ProducerRecord<>(topic, "k", bytes("after"))).get(30, TimeUnit.SECONDS);
		}
		List<String> values = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = KafkaTestBroker.newConsumer()) {
			consumer.subscribe(List.of(topic));
			await().atMost(KafkaTestBroker.timeout()).until(() -> {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(java.time.Duration.ofMillis(200))) {
					values.add(new String(record.value(), StandardCharsets.UTF_8));
				}
				return values.size() >= 2;
			});
		}
		assertThat(values).containsExactly("before", "after");
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
