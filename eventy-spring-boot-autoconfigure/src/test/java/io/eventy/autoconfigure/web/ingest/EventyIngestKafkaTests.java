package io.eventy.autoconfigure.web.ingest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.store.kafka.EventyKafkaHeaders;
import io.eventy.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP ingest on the Kafka store: the event is on the service's events topic, with the
 * request's ids, once the answer is 202.
 */
@SpringBootTest(classes = IngestTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eventy.store.type=kafka", "spring.liquibase.enabled=false", "eventy.kafka.partitions=1",
				"eventy.web.ingest.enabled=true", "eventy.web.ingest.allowed-names=urn:ingest:Clicked",
				"spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
						+ "org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration" })
class EventyIngestKafkaTests {

	private static final String SERVICE = KafkaTestBroker.uniqueName("ingest");

	private static final ObjectMapper json = new ObjectMapper();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void broker(DynamicPropertyRegistry registry) {
		registry.add("spring.application.name", () -> SERVICE);
		registry.add("spring.kafka.bootstrap-servers", KafkaTestBroker::bootstrapServers);
	}

	@Test
	void putsTheEventOnTheEventsTopicWithTheRequestsIds() throws Exception {
		String requestId = "req-" + UUID.randomUUID();
		String traceId = UUID.randomUUID().toString().replace("-", "");
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI.create("http://localhost:" + this.port
						+ "/event/log?__event__=urn:ingest:Clicked&element=buy&x=4&primary=true&button=RIGHT"
						+ "&day=2026-12-05"))
				.header("X-Request-Id", requestId)
				.header("X-Correlation-Id", traceId)
				.POST(BodyPublishers.noBody())
				.build(), BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		String uuid = json.readTree(response.body()).path("uuid").asText();
		ConsumerRecord<String, byte[]> record = read(SERVICE + "-events", uuid);
		JsonNode value = json.readTree(record.value());
		assertThat(value.path("namespace").asText()).isEqualTo("urn:ingest");
		assertThat(value.path("name").asText()).isEqualTo("Clicked");
		assertThat(value.path("correlation_id").asText()).isEqualTo(traceId);
		assertThat(value.path("data").path("x").asInt()).isEqualTo(4);
		assertThat(value.path("data").path("button").asText()).isEqualTo("RIGHT");
		Header requestIdHeader = record.headers().lastHeader(EventyKafkaHeaders.REQUEST_ID);
		assertThat(requestIdHeader).isNotNull();
		assertThat(new String(requestIdHeader.value(), StandardCharsets.UTF_8)).isEqualTo(requestId);
	}

	private static ConsumerRecord<String, byte[]> read(String topic, String uuid) throws Exception {
		try (KafkaConsumer<String, byte[]> consumer = KafkaTestBroker.newConsumer()) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + KafkaTestBroker.timeout().toNanos();
			while (System.nanoTime() - deadline < 0) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					if (json.readTree(record.value()).path("uuid").asText().equals(uuid)) {
						return record;
					}
				}
			}
		}
		throw new AssertionError("No record " + uuid + " on " + topic);
	}

}
