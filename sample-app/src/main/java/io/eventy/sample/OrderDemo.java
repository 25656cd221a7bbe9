package io.eventy.sample;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventy.autoconfigure.EventyProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Once the service is ready, places an order, ships it and logs its history, through the
 * service's own HTTP API, then leaves the service running. Switched off with
 * {@code sample.demo.enabled=false}.
 */
@Component
@ConditionalOnProperty(name = "sample.demo.enabled", havingValue = "true", matchIfMissing = true)
class OrderDemo {

	private static final Logger logger = LoggerFactory.getLogger(OrderDemo.class);

	private final RestClient.Builder restClient;

	private final String correlationIdHeader;

	OrderDemo(RestClient.Builder restClient, EventyProperties eventy) {
		this.restClient = restClient;
		this.correlationIdHeader = eventy.getWeb().getCorrelationIdHeader();
	}

	@EventListener
	void run(ApplicationReadyEvent event) {
		String port = event.getApplicationContext().getEnvironment().getProperty("local.server.port");
		if (port == null) {
			logger.info("Demo skipped: the service has no HTTP port");
			return;
		}
		String baseUrl = "http://localhost:" + port;
		// one trace for the whole demo: every record it causes carries this correlation
		// id
		String traceId = UUID.randomUUID().toString().replace("-", "");
		RestClient client = this.restClient.baseUrl(baseUrl).defaultHeader(this.correlationIdHeader, traceId).build();
		try {
			JsonNode placed = client.post()
				.uri("/orders")
				.body(Map.of("customer", "Ada", "amountCents", 4200))
				.retrieve()
				.body(JsonNode.class);
			String orderId = (placed != null) ? placed.path("orderId").asText() : "";
			logger.info("Demo: placed order {} (POST {}/orders, {}: {})", orderId, baseUrl, this.correlationIdHeader,
					traceId);
			client.post()
				.uri("/orders/{id}/ship", orderId)
				.body(Map.of("carrier", "Parcel Express"))
				.retrieve()
				.toBodilessEntity();
			logger.info("Demo: shipped order {} (POST {}/orders/{}/ship)", orderId, baseUrl, orderId);
			List<JsonNode> history = client.get()
				.uri("/orders/{id}/history", orderId)
				.retrieve()
				.body(new ParameterizedTypeReference<List<JsonNode>>() {
				});
			logger.info("Demo: history of order {} (GET {}/orders/{}/history):", orderId, baseUrl, orderId);
			for (JsonNode entry : (history != null) ? history : List.<JsonNode>of()) {
				logger.info("Demo:   v{} {} correlation {} data {}", entry.path("version").asLong(),
						entry.path("type").asText(), entry.path("correlationId").asText(), entry.path("data"));
			}
			logger.info("Demo: done; the service keeps running at {}", baseUrl);
		}
		catch (RuntimeException ex) {
			// a failed demo must not stop the service it demonstrates
			logger.warn("Demo failed, the service keeps running at {}: {}", baseUrl, ex.toString());
		}
	}

}
