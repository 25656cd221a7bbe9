package io.eventy.sample;

import java.util.Map;

import io.eventy.store.EventStore;
import io.eventy.store.StoredRecord;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Logs an event by name, as eventlib's HTTP endpoint does: the data is validated against
 * the registered record type, then stored in no stream.
 */
@RestController
class EventController {

	private final EventStore store;

	EventController(EventStore store) {
		this.store = store;
	}

	@PostMapping("/events/{qualifiedName}")
	@ResponseStatus(HttpStatus.ACCEPTED)
	PublishedEvent publish(@PathVariable String qualifiedName, @RequestBody Map<String, Object> data) {
		StoredRecord stored = this.store.publish(qualifiedName, data);
		return new PublishedEvent(stored.record().qualifiedName(), stored.record().uuid().toString(),
				stored.position());
	}

	/**
	 * What was stored.
	 *
	 * @param type the record type, {@code namespace:name}
	 * @param uuid the record's uuid
	 * @param position its global position in the store
	 */
	record PublishedEvent(String type, String uuid, long position) {

	}

}
