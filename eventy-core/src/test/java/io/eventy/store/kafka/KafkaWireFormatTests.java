package io.eventy.store.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordKind;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.kafka.KafkaTestRecords.ChargeCard;
import io.eventy.store.kafka.KafkaTestRecords.OrderPlaced;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a plain {@code KafkaConsumer} finds on the topics: the Eventy protocol JSON as
 * value, the partition key as key, store metadata in headers only.
 */
class KafkaWireFormatTests {

	private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

	private final KafkaStoreFixture fixture = new KafkaStoreFixture();

	@AfterEach
	void closeStore() {
		this.fixture.close();
	}

	@Test
	void appendedRecordIsProtocolJsonKeyedByTheStreamOnTheEventsTopic() throws Exception {
		StoredRecord stored = this.fixture.store
			.append(StreamId.of("order", "42"), ExpectedVersion.any(), new OrderPlaced("42", 1200))
			.records()
			.get(0);

		ConsumerRecord<String, byte[]> onTopic = single(this.fixture.topics.events());
		assertThat(onTopic.key()).isEqualTo("order-42");
		JsonNode json = KafkaStoreFixture.MAPPER.readTree(onTopic.value());
		List<String> fields = new ArrayList<>();
		json.fieldNames().forEachRemaining(fields::add);
		assertThat(fields).containsExactly("type", "namespace", "name", "protocol_version", "version", "source", "uuid",
				"correlation_id", "partition_key", "date_timestamp", "date_iso8601", "context", "data");
		assertThat(json.get("type").asText()).isEqualTo("EVENT");
		assertThat(json.get("namespace").asText()).isEqualTo("urn:shop");
		assertThat(json.get("name").asText()).isEqualTo("OrderPlaced");
		assertThat(json.get("source").asText()).isEqualTo("urn:" + this.fixture.service);
		assertThat(json.get("uuid").asText()).isEqualTo(stored.record().uuid().toString());
		assertThat(json.get("partition_key").asText()).isEqualTo("order-42");
		assertThat(json.get("data"))
			.isEqualTo(KafkaStoreFixture.MAPPER.readTree("{\"orderId\":\"42\",\"amountCents\":1200}"));
		assertThat(onTopic.offset()).isEqualTo(stored.position());
		assertThat(onTopic.timestamp()).isEqualTo(stored.record().date().toEpochMilli());
	}

	@Test
	void storeMetadataTravelsInUtf8HeadersAndNeverInTheJson() throws Exception {
		EventyContext context = new EventyContext("4bf92f3577b34da6a3ce929d0e0e4736", "req-1", "cause-1", TRACEPARENT,
				Map.of("tenant", Map.of("id", "acme")));
		try (EventyContextHolder.Scope scope = EventyContextHolder.open(context)) {
			this.fixture.store.append(StreamId.of("order", "ü-42"), ExpectedVersion.any(), new OrderPlaced("42", 1));
		}

		ConsumerRecord<String, byte[]> onTopic = single(this.fixture.topics.events());
		assertThat(header(onTopic, EventyKafkaHeaders.REQUEST_ID)).isEqualTo("req-1");
		assertThat(header(onTopic, EventyKafkaHeaders.CAUSATION_ID)).isEqualTo("cause-1");
		assertThat(header(onTopic, EventyKafkaHeaders.STREAM_TYPE)).isEqualTo("order");
		assertThat(header(onTopic, EventyKafkaHeaders.STREAM_ID)).isEqualTo("ü-42");
		assertThat(header(onTopic, EventyKafkaHeaders.TRACEPARENT)).isEqualTo(TRACEPARENT);
		JsonNode json = KafkaStoreFixture.MAPPER.readTree(onTopic.value());
		assertThat(json.get("correlation_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
		assertThat(json.get("context").get("tenant").get("id").asText()).isEqualTo("acme");
		assertThat(new String(onTopic.value(), StandardCharsets.UTF_8)).doesNotContain("req-1", "cause-1",
				"00f067aa0ba902b7", "stream");
	}

	@Test
	void recordReadBackFromTheTopicHasTheMetadataItWasWrittenWith() {
		EventyContext context = new EventyContext("4bf92f3577b34da6a3ce929d0e0e4736", "req-2", "cause-2", TRACEPARENT,
				Map.of());
		StoredRecord written;
		try (EventyContextHolder.Scope scope = EventyContextHolder.open(context)) {
			written = this.fixture.store
				.append(StreamId.of("order", "7"), ExpectedVersion.any(), new OrderPlaced("7", 70))
				.records()
				.get(0);
		}

		StoredRecord read = this.fixture.store.mapper().toStoredRecord(single(this.fixture.topics.events()));
		assertThat(read.record()).usingRecursiveComparison().ignoringFields("data").isEqualTo(written.record());
		assertThat(read.record().data().toString()).isEqualTo(written.record().data().toString());
		assertThat(read.stream()).isEqualTo(StreamId.of("order", "7"));
		assertThat(read.position()).isEqualTo(written.position());
		assertThat(read.requestId()).isEqualTo("req-2");
		assertThat(read.causationId()).isEqualTo("cause-2");
		assertThat(read.traceparent()).isEqualTo(TRACEPARENT);
		assertThat(read.payload(OrderPlaced.class)).isEqualTo(new OrderPlaced("7", 70));
	}

	@Test
	void publishedRecordHasNoKeyAndNoStreamHeaders() {
		this.fixture.store.publish(new OrderPlaced("9", 90));

		ConsumerRecord<String, byte[]> onTopic = single(this.fixture.topics.events());
		assertThat(onTopic.key()).isNull();
		assertThat(onTopic.headers().lastHeader(EventyKafkaHeaders.STREAM_TYPE)).isNull();
		assertThat(onTopic.headers().lastHeader(EventyKafkaHeaders.STREAM_ID)).isNull();
	}

	@Test
	void requestsAndResponsesGoToTheirOwnTopics() {
		this.fixture.store.publish(new ChargeCard("1", 100));
		EventyRecord response = EventyRecord.builder(RecordKind.RESPONSE)
			.namespace("urn:payments")
			.name("CardCharged")
			.source("urn:" + this.fixture.service)
			.destination("urn:shop")
			.requestUuid(java.util.UUID.randomUUID())
			.ok(true)
			.build();
		this.fixture.store.publish(response);

		assertThat(single(this.fixture.topics.requests()).value()).asString(StandardCharsets.UTF_8)
			.contains("\"type\":\"REQUEST\"", "\"name\":\"ChargeCard\"");
		assertThat(single(this.fixture.topics.responses()).value()).asString(StandardCharsets.UTF_8)
			.contains("\"type\":\"RESPONSE\"", "\"request_uuid\":\"" + response.requestUuid() + "\"");
	}

	@Test
	void recordsWithoutAContextCarryNoIdHeaders() {
		this.fixture.store.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("1", 1));

		ConsumerRecord<String, byte[]> onTopic = single(this.fixture.topics.events());
		List<String> names = new ArrayList<>();
		for (Header header : onTopic.headers()) {
			names.add(header.key());
		}
		assertThat(names).containsExactlyInAnyOrder(EventyKafkaHeaders.STREAM_TYPE, EventyKafkaHeaders.STREAM_ID);
	}

	private static ConsumerRecord<String, byte[]> single(String topic) {
		List<ConsumerRecord<String, byte[]>> records = KafkaStoreFixture.readTopic(topic, 1);
		assertThat(records).hasSize(1);
		return records.get(0);
	}

	private static String header(ConsumerRecord<String, byte[]> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

}
