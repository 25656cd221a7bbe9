package io.eventy.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("kafka")
@DirtiesContext
class SampleKafkaDemoTests {

	@Test
	void placesShipsAndLogsAnOrderAndItsShippedSummaryOnKafkaOnceReady(CapturedOutput output) {
		assertThat(output).contains("Started an embedded Kafka broker")
			.doesNotContain("Started an embedded PostgreSQL")
			.contains("Demo: placed order")
			.contains("Demo: shipped order")
			.contains("urn:shop:OrderPlaced")
			.contains("urn:shop:OrderShipped")
			.contains("Demo: summary of order")
			.contains("\"status\":\"SHIPPED\"")
			.containsPattern("Demo: logged urn:shop:OrderViewed [0-9a-f-]{36} \\(POST ")
			.contains("Demo: done; the service keeps running")
			.doesNotContain("Demo failed");
	}

}
