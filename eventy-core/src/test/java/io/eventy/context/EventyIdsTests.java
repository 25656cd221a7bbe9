package io.eventy.context;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventyIdsTests {

	@Test
	void generatesTraceIdsOf32LowercaseHexCharacters() {
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			String traceId = EventyIds.newTraceId();
			assertThat(traceId).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
			seen.add(traceId);
		}
		assertThat(seen).hasSize(1000);
	}

	@Test
	void generatesRequestIdsThatAreVersion4Uuids() {
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			String requestId = EventyIds.newRequestId();
			UUID uuid = UUID.fromString(requestId);
			assertThat(uuid.version()).isEqualTo(4);
			assertThat(uuid.variant()).isEqualTo(2);
			assertThat(uuid.toString()).isEqualTo(requestId);
			seen.add(requestId);
		}
		assertThat(seen).hasSize(1000);
	}

	@Test
	void acceptsIdsOfAllowedCharactersUpTo128Long() {
		assertThat(EventyIds.isValid("a")).isTrue();
		assertThat(EventyIds.isValid("AZaz09._:-")).isTrue();
		assertThat(EventyIds.isValid("4bf92f3577b34da6a3ce929d0e0e4736")).isTrue();
		assertThat(EventyIds.isValid("urn:order-service:1.2_3")).isTrue();
		assertThat(EventyIds.isValid("x".repeat(128))).isTrue();
		assertThat(EventyIds.isValid(EventyIds.newRequestId())).isTrue();
	}

	@Test
	void rejectsMissingEmptyLongAndHostileIds() {
		assertThat(EventyIds.isValid(null)).isFalse();
		assertThat(EventyIds.isValid("")).isFalse();
		assertThat(EventyIds.isValid("x".repeat(129))).isFalse();
		assertThat(EventyIds.isValid("x".repeat(300))).isFalse();
		for (String hostile : new String[] { "a b", "a\"b", "{x}", "a\rb", "a\nSet-Cookie: x", "é", "a\u0000", "a/b",
				"a;b", "a,b", "<script>", "a\tb", "日本" }) {
			assertThat(EventyIds.isValid(hostile)).as(hostile).isFalse();
		}
	}

	@Test
	void replacesInvalidValuesWithNewIds() {
		assertThat(EventyIds.validOrNull("ok-1")).isEqualTo("ok-1");
		assertThat(EventyIds.validOrNull("not ok")).isNull();
		assertThat(EventyIds.validOrNewTraceId("trace-1")).isEqualTo("trace-1");
		assertThat(EventyIds.validOrNewTraceId("bad\r\nid")).matches("[0-9a-f]{32}");
		assertThat(EventyIds.validOrNewRequestId("req-1")).isEqualTo("req-1");
		assertThat(EventyIds.validOrNewRequestId(null)).satisfies((id) -> UUID.fromString(id));
	}

}
