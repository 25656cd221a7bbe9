package io.eventy.store.kafka;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaHeaderCodecTests {

	@Test
	void putReplacesEveryHeaderOfTheSameName() {
		Headers headers = new RecordHeaders();
		headers.add("eventy_request_id", bytes("a"));
		headers.add("eventy_request_id", bytes("b"));

		KafkaHeaderCodec.put(headers, "eventy_request_id", "c");

		assertThat(headers.headers("eventy_request_id")).singleElement()
			.satisfies((header) -> assertThat(header.value()).isEqualTo(bytes("c")));
	}

	@Test
	void putOfNullOnlyRemoves() {
		Headers headers = new RecordHeaders();
		headers.add("eventy_request_id", bytes("a"));

		KafkaHeaderCodec.put(headers, "eventy_request_id", null);

		assertThat(headers.headers("eventy_request_id")).isEmpty();
	}

	@Test
	void getReadsTheLastHeaderAsUtf8() {
		Headers headers = new RecordHeaders();
		headers.add("eventy_stream_id", bytes("first"));
		headers.add("eventy_stream_id", bytes("dernière-ü"));

		assertThat(KafkaHeaderCodec.get(headers, "eventy_stream_id")).isEqualTo("dernière-ü");
		assertThat(KafkaHeaderCodec.get(headers, "absent")).isNull();
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
