package com.example.orders;

import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StreamId;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

@Component
class PlaceOrder implements ApplicationRunner {

	private final EventStore store;

	PlaceOrder(EventStore store) {
		this.store = store;
	}

	@Override
	public void run(ApplicationArguments args) {
		this.store.append(StreamId.of("order", "42"), ExpectedVersion.any(), new OrderPlaced("42", 1200));
	}

}
