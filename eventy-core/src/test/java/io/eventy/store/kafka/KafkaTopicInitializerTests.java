package io.eventy.store.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.eventy.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class KafkaTopicInitializerTests {

	@Test
	void createsEachMissingTopicAndItsDeadLetterTopicWithTheConfiguredPartitions() throws Exception {
		KafkaTopics topics = KafkaTopics.forService(KafkaTestBroker.uniqueName("init"));

		List<String> created = new KafkaTopicInitializer(KafkaTestBroker.adminProperties(), topics, 3, (short) 1,
				Duration.ofSeconds(30))
			.initialize();

		assertThat(created).containsExactlyInAnyOrder(topics.events(), topics.events() + ".DLT", topics.requests(),
				topics.requests() + ".DLT", topics.responses(), topics.responses() + ".DLT");
		await().atMost(KafkaTestBroker.timeout())
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(describe(created).values())
				.allSatisfy((description) -> assertThat(description.partitions()).hasSize(3)));
	}

	@Test
	void leavesExistingTopicsAsTheyAre() throws Exception {
		KafkaTopics topics = KafkaTopics.forService(KafkaTestBroker.uniqueName("init"));
		KafkaTestBroker.createTopics(1, topics.events());

		List<String> created = new KafkaTopicInitializer(KafkaTestBroker.adminProperties(), topics, 4, null,
				Duration.ofSeconds(30))
			.initialize();

		assertThat(created).doesNotContain(topics.events()).contains(topics.events() + ".DLT");
		await().atMost(KafkaTestBroker.timeout())
			.ignoreExceptions()
			.untilAsserted(
					() -> assertThat(describe(List.of(topics.events())).get(topics.events()).partitions()).hasSize(1));
	}

	@Test
	void unreachableBrokerFailsWithAMessageNamingItAndTheWayOut() {
		KafkaTopics topics = KafkaTopics.forService("unreachable");
		Map<String, Object> admin = Map.of("bootstrap.servers", "localhost:1", "request.timeout.ms", 500,
				"default.api.timeout.ms", 1000);

		assertThatIllegalStateException()
			.isThrownBy(() -> new KafkaTopicInitializer(admin, topics, 1, null, Duration.ofSeconds(2)).initialize())
			.withMessageContaining("localhost:1");
	}

	private static Map<String, TopicDescription> describe(List<String> names) throws Exception {
		try (Admin admin = Admin.create(KafkaTestBroker.adminProperties())) {
			return admin.describeTopics(Set.copyOf(names)).allTopicNames().get(30, TimeUnit.SECONDS);
		}
	}

}
