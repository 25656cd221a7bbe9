package io.eventy.store.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.eventy.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
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
	void createsDeadLetterTopicsWithTheRetentionOfDeadLettersAndLeavesTheRecordsTopicsAlone() throws Exception {
		KafkaTopics topics = KafkaTopics.forService(KafkaTestBroker.uniqueName("init"));
		KafkaTopicInitializer initializer = new KafkaTopicInitializer(KafkaTestBroker.adminProperties(), topics, 1,
				null, Duration.ofSeconds(30));
		initializer.setDeadLetterRetention(Duration.ofDays(30));

		initializer.initialize();

		String thirtyDays = Long.toString(Duration.ofDays(30).toMillis());
		for (String topic : topics.all()) {
			assertThat(retention(KafkaTopics.deadLetterTopic(topic)).value()).isEqualTo(thirtyDays);
			assertThat(retention(topic).source()).isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
		}
	}

	@Test
	void setsTheRetentionOfDeadLettersOnAnExistingDeadLetterTopicWithAnotherOne() throws Exception {
		KafkaTopics topics = KafkaTopics.forService(KafkaTestBroker.uniqueName("init"));
		String deadLetters = KafkaTopics.deadLetterTopic(topics.events());
		KafkaTestBroker.createTopics(1, topics.events(), deadLetters);
		setRetention(deadLetters, Duration.ofDays(2));
		KafkaTopicInitializer initializer = new KafkaTopicInitializer(KafkaTestBroker.adminProperties(), topics, 1,
				null, Duration.ofSeconds(30));
		initializer.setDeadLetterRetention(Duration.ofHours(12));

		List<String> created = initializer.initialize();

		assertThat(created).doesNotContain(deadLetters);
		await().atMost(KafkaTestBroker.timeout())
			.untilAsserted(() -> assertThat(retention(deadLetters).value())
				.isEqualTo(Long.toString(Duration.ofHours(12).toMillis())));
		assertThat(retention(topics.events()).source()).isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
	}

	@Test
	void leavesTheRetentionOfDeadLetterTopicsAloneWithoutARetentionOfDeadLetters() throws Exception {
		KafkaTopics topics = KafkaTopics.forService(KafkaTestBroker.uniqueName("init"));
		String existing = KafkaTopics.deadLetterTopic(topics.events());
		KafkaTestBroker.createTopics(1, topics.events(), existing);
		setRetention(existing, Duration.ofDays(2));

		new KafkaTopicInitializer(KafkaTestBroker.adminProperties(), topics, 1, null, Duration.ofSeconds(30))
			.initialize();

		assertThat(retention(existing).value()).isEqualTo(Long.toString(Duration.ofDays(2).toMillis()));
		assertThat(retention(KafkaTopics.deadLetterTopic(topics.requests())).source())
			.isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
	}

	@Test
	void refusesARetentionOfDeadLettersThatIsNotPositive() {
		KafkaTopicInitializer initializer = new KafkaTopicInitializer(KafkaTestBroker.adminProperties(),
				KafkaTopics.forService("shop"), 1, null, Duration.ofSeconds(30));
		assertThatIllegalArgumentException().isThrownBy(() -> initializer.setDeadLetterRetention(Duration.ZERO))
			.withMessageContaining("positive");
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

	private static ConfigEntry retention(String topic) throws Exception {
		ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
		try (Admin admin = Admin.create(KafkaTestBroker.adminProperties())) {
			// a topic just created is described once the broker's metadata has it
			return await().atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.until(() -> admin.describeConfigs(List.of(resource))
					.all()
					.get(30, TimeUnit.SECONDS)
					.get(resource)
					.get(TopicConfig.RETENTION_MS_CONFIG), Objects::nonNull);
		}
	}

	private static void setRetention(String topic, Duration retention) throws Exception {
		ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
		try (Admin admin = Admin.create(KafkaTestBroker.adminProperties())) {
			admin
				.incrementalAlterConfigs(
						Map.of(resource,
								List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG,
										Long.toString(retention.toMillis())), AlterConfigOp.OpType.SET))))
				.all()
				.get(30, TimeUnit.SECONDS);
		}
		await().atMost(KafkaTestBroker.timeout())
			.untilAsserted(() -> assertThat(retention(topic).value()).isEqualTo(Long.toString(retention.toMillis())));
	}

	private static Map<String, TopicDescription> describe(List<String> names) throws Exception {
		try (Admin admin = Admin.create(KafkaTestBroker.adminProperties())) {
			return admin.describeTopics(Set.copyOf(names)).allTopicNames().get(30, TimeUnit.SECONDS);
		}
	}

}
