package io.eventy.readme.orders;

import java.util.List;

import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;

import org.springframework.stereotype.Service;

/**
 * The README's "Append and read" example: appends with an expected version.
 */
@Service
class OrderService {

	private final EventStore store;

	OrderService(EventStore store) {
		this.store = store;
	}

	void place(String id, String customer, long amountCents) {
		this.store.append(StreamId.of("order", id), ExpectedVersion.noStream(),
				new OrderPlaced(id, customer, amountCents));
	}

	void ship(String id, String carrier) {
		List<StoredRecord> history = this.store.readStream(StreamId.of("order", id));
		long version = history.get(history.size() - 1).streamVersion();
		this.store.append(StreamId.of("order", id), ExpectedVersion.exactly(version), new OrderShipped(id, carrier));
	}

}
