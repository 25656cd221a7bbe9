package io.eventy.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.eventy.autoconfigure.EventyProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Once the service is ready, places an order, ships it and logs its history, then waits
 * (up to 10 s) until the order's summary shows it shipped and logs the summary, and logs
 * an {@link OrderViewed} event as a front end would (Eventy's HTTP ingest,
 * {@code POST /event/log}), all through the service's own HTTP API, then leaves the
 * service running. Switched off with {@code sample.demo.enabled=false}.
 */
@Component
@ConditionalOnProperty(name = "sample.demo.enabled", havingValue = "true", matchIfMissing = true)
class OrderDemo {

	private static final Logger logger = LoggerFactory.getLogger(OrderDemo.class);

	private static final Duration SUMMARY_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration SUMMARY_POLL_INTERVAL = Duration.ofMillis(100);

	private final RestClient.Builder restClient;

	private final String correlationIdHeader;

	private final @Nullable String consolePath;

	OrderDemo(RestClient.Builder restClient, EventyProperties eventy) {
		this.restClient = restClient;
		this.correlationIdHeader = eventy.getWeb().getCorrelationIdHeader();
		this.consolePath = eventy.getConsole().isEnabled() ? eventy.getConsole().getPath() : null;
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
			String orderId = (placed != null) ? placed.path("orderId").asString() : "";
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
						entry.path("type").asString(), entry.path("correlationId").asString(), entry.path("data"));
			}
			JsonNode summary = awaitShipped(client, orderId);
			if (summary != null) {
				logger.info("Demo: summary of order {} (GET {}/orders/{}/summary): {}", orderId, baseUrl, orderId,
						summary);
			}
			else {
				logger.warn("Demo: the summary of order {} did not show it shipped within {}", orderId,
						SUMMARY_TIMEOUT);
			}
			// what a front end does: log an event over HTTP, eventlib's form
			JsonNode viewed = client.post()
				.uri("/event/log?__event__=urn:shop:OrderViewed&orderId={id}&seconds=12", orderId)
				.retrieve()
				.body(JsonNode.class);
			logger.info(
					"Demo: logged urn:shop:OrderViewed {} (POST {}/event/log?__event__=urn:shop:OrderViewed"
							+ "&orderId={}&seconds=12)",
					(viewed != null) ? viewed.path("uuid").asString() : "", baseUrl, orderId);
			logger.info("Demo: done; the service keeps running at {}", baseUrl);
			if (this.consolePath != null) {
				logger.info("Web console: {}{} (subscriptions, dead letters, re-drive)", baseUrl, this.consolePath);
			}
		}
		catch (RuntimeException ex) {
			// a failed demo must not stop the service it demonstrates
			logger.warn("Demo failed, the service keeps running at {}: {}", baseUrl, ex.toString());
		}
	}

	/**
	 * Poll the order's summary until the projection shows it shipped, for at most
	 * {@link #SUMMARY_TIMEOUT}.
	 * @return the summary, or {@code null} if it did not show the order shipped in time
	 */
	private @Nullable JsonNode awaitShipped(RestClient client, String orderId) {
		long deadline = System.nanoTime() + SUMMARY_TIMEOUT.toNanos();
		while (true) {
			JsonNode summary = client.get()
				.uri("/orders/{id}/summary", orderId)
				.exchange((request, response) -> response.getStatusCode().is2xxSuccessful()
						? response.bodyTo(JsonNode.class) : null);
			if (summary != null && "SHIPPED".equals(summary.path("status").asString())) {
				return summary;
			}
			if (System.nanoTime() - deadline >= 0) {
				return null;
			}
			try {
				// the projection runs on its own subscription thread; nothing to wait on
				// over HTTP but time
				Thread.sleep(SUMMARY_POLL_INTERVAL.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
		}
	}

}
