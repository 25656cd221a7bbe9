package io.eventy.readme.tracing;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * The README's "Trace and request ids" example: a {@link WebClient} request built on a
 * Reactor thread keeps the caller's ids through {@code contextCapture()}.
 */
final class StockLookup {

	private StockLookup() {
	}

	static @Nullable Stock currentStock(WebClient webClient) {
		return Mono.defer(() -> webClient.get().uri("/stock").retrieve().bodyToMono(Stock.class))
			.subscribeOn(Schedulers.boundedElastic())
			.contextCapture() // takes the ids of this thread into the Reactor context
			.block();
	}

}
