package io.eventy.store.kafka;

/**
 * Names of the Kafka headers Eventy writes and reads. The record's value is the Eventy
 * protocol JSON and nothing else; store metadata travels in these headers, UTF-8 encoded.
 * A header is written by removing any header of the same name and adding the new one;
 * when a record carries a header more than once, the last one wins.
 */
public final class EventyKafkaHeaders {

	/** The id of the request that caused the record. */
	public static final String REQUEST_ID = "eventy_request_id";

	/** The uuid of the record whose handling emitted this one. */
	public static final String CAUSATION_ID = "eventy_causation_id";

	/** The type (category) of the stream an appended record belongs to. */
	public static final String STREAM_TYPE = "eventy_stream_type";

	/** The id of the stream an appended record belongs to. */
	public static final String STREAM_ID = "eventy_stream_id";

	/** The W3C trace parent current when the record was written. */
	public static final String TRACEPARENT = "traceparent";

	/** On a dead letter: the last error, {@code ExceptionClass: message}. */
	public static final String DLT_ERROR = "eventy_dlt_error";

	/** On a dead letter: the subscription that gave up on the record. */
	public static final String DLT_SUBSCRIPTION = "eventy_dlt_subscription";

	/** On a dead letter: how many times the subscription tried to handle the record. */
	public static final String DLT_ATTEMPTS = "eventy_dlt_attempts";

	/** On a dead letter: when the subscription gave up, epoch milliseconds. */
	public static final String DLT_DEAD_AT = "eventy_dlt_dead_at";

	/**
	 * On a dead letter whose value had to be cut to fit a Kafka request: the length of
	 * the original value in bytes (the dead letter has no key when the key alone did not
	 * fit either). The original stays on its topic, at the offset the dead letter's
	 * {@code kafka_dlt-original-offset} header names.
	 */
	public static final String DLT_TRUNCATED = "eventy_dlt_truncated";

	/**
	 * On a re-driven record: the consumer group ({@code <service>.<subscription>}) of the
	 * only subscription that handles it again; every other subscription reading the
	 * topic, of this service or another, skips it.
	 */
	public static final String REDRIVE_SUBSCRIPTION = "eventy_redrive_subscription";

	private EventyKafkaHeaders() {
	}

}
