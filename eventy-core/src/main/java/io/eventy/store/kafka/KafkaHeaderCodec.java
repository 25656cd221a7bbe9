package io.eventy.store.kafka;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads Eventy's string headers: remove then add, last one wins, UTF-8.
 */
final class KafkaHeaderCodec {

	private KafkaHeaderCodec() {
	}

	/**
	 * Set a header, replacing every header of that name; a {@code null} value only
	 * removes.
	 * @param headers the record's headers
	 * @param name the header name
	 * @param value the value, or {@code null}
	 */
	static void put(Headers headers, String name, @Nullable String value) {
		headers.remove(name);
		if (value != null) {
			headers.add(name, value.getBytes(StandardCharsets.UTF_8));
		}
	}

	/**
	 * Read the last header of a name.
	 * @param headers the record's headers
	 * @param name the header name
	 * @return its value, or {@code null} when absent or empty
	 */
	static @Nullable String get(Headers headers, String name) {
		Header header = headers.lastHeader(name);
		if (header == null || header.value() == null || header.value().length == 0) {
			return null;
		}
		return new String(header.value(), StandardCharsets.UTF_8);
	}

}
