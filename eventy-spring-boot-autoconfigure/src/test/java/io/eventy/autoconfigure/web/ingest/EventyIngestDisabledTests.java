package io.eventy.autoconfigure.web.ingest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

import io.eventy.store.EventStore;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that does not enable ingest has no such endpoint, even with allowed
 * names set.
 */
@SpringBootTest(classes = { IngestTestApplication.class, IngestTestApplication.Database.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "spring.application.name=ingest-test",
				"spring.liquibase.enabled=false", "eventy.web.ingest.allowed-names=urn:ingest:*" })
class EventyIngestDisabledTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	@Autowired
	private EventStore store;

	@Test
	void answersNotFoundAndStoresNothingWhenIngestIsNotEnabled() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/event/log/urn:ingest:Clicked"))
				.header("Content-Type", "application/json")
				.POST(BodyPublishers
					.ofString("{\"element\": \"buy\", \"x\": 1, \"primary\": true, \"button\": \"LEFT\","
							+ " \"day\": \"2026-12-05\"}"))
				.build(), BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(this.context.containsBean("eventyIngestRouterFunction")).isFalse();
		assertThat(this.store.readAll(0, 10)).isEmpty();
	}

}
