package io.eventy.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleDemoTests {

	@Test
	void placesShipsAndLogsAnOrderAndItsShippedSummaryThroughItsOwnApiOnceReady(CapturedOutput output) {
		assertThat(output).contains("Demo: placed order")
			.contains("Demo: shipped order")
			.contains("Demo:   v1 urn:shop:OrderPlaced")
			.contains("Demo:   v2 urn:shop:OrderShipped")
			.contains("Demo: summary of order")
			.contains("\"status\":\"SHIPPED\"")
			.containsPattern("Demo: logged urn:shop:OrderViewed [0-9a-f-]{36} \\(POST ")
			.contains("Demo: done; the service keeps running")
			.doesNotContain("Demo failed");
	}

}
