package io.eventy.store.kafka;

import io.eventy.record.RecordKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class KafkaTopicsTests {

	@Test
	void serviceTopicsFollowTheQottoLayout() {
		KafkaTopics topics = KafkaTopics.forService("orders");

		assertThat(topics.topicFor(RecordKind.EVENT)).isEqualTo("orders-events");
		assertThat(topics.topicFor(RecordKind.REQUEST)).isEqualTo("orders-requests");
		assertThat(topics.topicFor(RecordKind.RESPONSE)).isEqualTo("orders-responses");
		assertThat(KafkaTopics.deadLetterTopic("orders-events")).isEqualTo("orders-events.DLT");
	}

	@Test
	void topicsSharedByKindsAreListedOnce() {
		assertThat(new KafkaTopics("all", "all", "answers").all()).containsExactly("all", "answers");
	}

	@Test
	void serviceNameThatMakesNoTopicNameIsRejectedNamingTheProperties() {
		assertThatIllegalArgumentException().isThrownBy(() -> KafkaTopics.forService("my service"))
			.withMessageContaining("eventy.kafka.events-topic");
	}

	@Test
	void illegalTopicNamesAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new KafkaTopics("a/b", "r", "s"))
			.withMessageContaining("events topic");
		assertThatIllegalArgumentException().isThrownBy(() -> new KafkaTopics("e", "..", "s"))
			.withMessageContaining("requests topic");
		assertThatIllegalArgumentException().isThrownBy(() -> new KafkaTopics("e", "r", "x".repeat(246)))
			.withMessageContaining("responses topic");
	}

}
