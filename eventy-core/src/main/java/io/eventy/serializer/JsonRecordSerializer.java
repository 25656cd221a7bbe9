package io.eventy.serializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.record.EventyRecord;

/**
 * The Eventy 3.x JSON {@link RecordSerializer}. (stub: being implemented)
 */
public final class JsonRecordSerializer implements RecordSerializer {

	/**
	 * Create a serializer.
	 * @param objectMapper the application's object mapper
	 */
	public JsonRecordSerializer(ObjectMapper objectMapper) {
	}

	@Override
	public byte[] serialize(EventyRecord record) {
		throw new UnsupportedOperationException("not yet");
	}

	@Override
	public EventyRecord deserialize(byte[] bytes) {
		throw new UnsupportedOperationException("not yet");
	}

}
