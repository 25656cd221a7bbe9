package io.eventy.readme.orders;

import io.eventy.context.EventyContextHolder;
import io.eventy.handler.EventHandler;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StreamId;

/**
 * The example of the README's "Context entries" section: an entry put into the context of
 * a scope, and read in a handler.
 */
class TenantShipping {

	record Tenant(String id) {
	}

	void place(EventStore store) {
		try (EventyContextHolder.Scope scope = EventyContextHolder.openWithEntry("tenant", new Tenant("acme"))) {
			store.append(StreamId.of("order", "42"), ExpectedVersion.any(), new OrderPlaced("42", "Ada", 1200));
			// stored with "context": {"tenant": {"id": "acme"}}
		}
	}

	@EventHandler
	OrderShipped ship(OrderPlaced order) {
		Tenant tenant = EventyContextHolder.entry("tenant", Tenant.class).orElseThrow();
		// what it returns carries the entry too
		return new OrderShipped(order.orderId(), "courier of " + tenant.id());
	}

}
