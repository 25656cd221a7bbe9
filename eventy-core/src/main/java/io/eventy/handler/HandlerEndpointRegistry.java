package io.eventy.handler;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@link HandlerEndpoint}s found on the application's beans, one per subscription.
 * Filled once at startup by the discovery that {@link EnableEventHandlers} registers;
 * stores read it when they start.
 */
public final class HandlerEndpointRegistry {

	private final List<HandlerEndpoint> endpoints = new ArrayList<>();

	/**
	 * Create an empty registry.
	 */
	public HandlerEndpointRegistry() {
	}

	/**
	 * Return every endpoint, in discovery order.
	 * @return the endpoints
	 */
	public synchronized List<HandlerEndpoint> endpoints() {
		return List.copyOf(this.endpoints);
	}

	/**
	 * Find the endpoint of a subscription.
	 * @param subscription the subscription name
	 * @return the endpoint, if there is one
	 */
	public synchronized Optional<HandlerEndpoint> find(String subscription) {
		return this.endpoints.stream().filter((endpoint) -> endpoint.subscription().equals(subscription)).findFirst();
	}

	/**
	 * Add an endpoint.
	 * @param endpoint the endpoint
	 * @throws IllegalStateException if another endpoint has the same subscription
	 */
	synchronized void register(HandlerEndpoint endpoint) {
		Optional<HandlerEndpoint> existing = find(endpoint.subscription());
		if (existing.isPresent()) {
			throw new IllegalStateException("Subscription '" + endpoint.subscription() + "' is declared twice, by "
					+ existing.get().handlerName() + " and " + endpoint.handlerName()
					+ "; give one of them another @EventHandler(subscription = ...)");
		}
		this.endpoints.add(endpoint);
	}

}
