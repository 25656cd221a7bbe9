package io.eventy.context;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EventyContextTests {

	@Test
	void keepsItsIdsAndACopyOfTheContextMap() {
		Map<String, Object> map = new HashMap<>();
		map.put("tenant", "acme");
		EventyContext context = new EventyContext("trace-1", "req-1", "cause-1",
				"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", map);
		map.put("tenant", "other");
		assertThat(context.traceId()).isEqualTo("trace-1");
		assertThat(context.requestId()).isEqualTo("req-1");
		assertThat(context.causationId()).isEqualTo("cause-1");
		assertThat(context.traceparent()).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
		assertThat(context.context()).containsExactly(Map.entry("tenant", "acme"));
	}

	@Test
	void withEntryStoresARecordAsTheJsonObjectItConvertsToAndEntryReadsItBackAsAType() {
		EventyContext context = EventyContext.of("trace-1", null).withEntry("tenant", new Tenant("acme", 3));
		assertThat(context.context()).containsExactly(Map.entry("tenant", Map.of("id", "acme", "tier", 3)));
		assertThat(context.entry("tenant", Tenant.class)).contains(new Tenant("acme", 3));
		assertThat(context.entry("tenant", Map.class)).contains(Map.of("id", "acme", "tier", 3));
		assertThat(context.entry("user", Tenant.class)).isEmpty();
	}

	@Test
	void withEntryReplacesAnEntryOfTheSameKeyAndWithoutEntryRemovesIt() {
		EventyContext context = EventyContext.of("trace-1", null)
			.withEntry("tenant", Map.of("id", "a"))
			.withEntry("user", Map.of("id", "u"))
			.withEntry("tenant", Map.of("id", "b"));
		assertThat(context.context()).containsOnlyKeys("tenant", "user");
		assertThat(context.entry("tenant", Tenant.class)).map(Tenant::id).contains("b");
		assertThat(context.withoutEntry("tenant").context()).containsOnlyKeys("user");
		assertThat(context.traceId()).isEqualTo("trace-1");
	}

	@Test
	void withEntryRefusesAValueThatIsNotAJsonObjectNamingTheKey() {
		EventyContext context = EventyContext.of("trace-1", null);
		assertThatIllegalArgumentException().isThrownBy(() -> context.withEntry("tenant", "acme"))
			.withMessageContaining("Context entry 'tenant' must convert to a JSON object");
		assertThatIllegalArgumentException().isThrownBy(() -> context.withEntry(" ", Map.of()))
			.withMessageContaining("non-blank key");
	}

	@Test
	void openWithEntryAddsTheEntryToTheCurrentContextUntilTheScopeCloses() {
		try (EventyContextHolder.Scope outer = EventyContextHolder.open(EventyContext.of("trace-1", "req-1"))) {
			try (EventyContextHolder.Scope inner = EventyContextHolder.openWithEntry("tenant", new Tenant("acme", 1))) {
				assertThat(EventyContextHolder.current().traceId()).isEqualTo("trace-1");
				assertThat(EventyContextHolder.current().requestId()).isEqualTo("req-1");
				assertThat(EventyContextHolder.entry("tenant", Tenant.class)).contains(new Tenant("acme", 1));
			}
			assertThat(EventyContextHolder.entry("tenant", Tenant.class)).isEmpty();
		}
		assertThat(EventyContextHolder.entry("tenant", Tenant.class)).isEmpty();
		try (EventyContextHolder.Scope scope = EventyContextHolder.openWithEntry("tenant", new Tenant("acme", 1))) {
			assertThat(EventyContextHolder.current().traceId()).matches("[0-9a-f]{32}");
		}
		assertThat(EventyContextHolder.current()).isNull();
	}

	record Tenant(String id, int tier) {
	}

	@Test
	void rejectsInvalidIdsWithoutRepeatingThem() {
		assertThatIllegalArgumentException().isThrownBy(() -> EventyContext.of("bad\r\nid", null))
			.withMessage("traceId must be 1 to 128 characters of [A-Za-z0-9._:-]");
		assertThatIllegalArgumentException().isThrownBy(() -> EventyContext.of("", null));
		assertThatIllegalArgumentException().isThrownBy(() -> EventyContext.of("t", "x".repeat(129)))
			.withMessageStartingWith("requestId must be");
		assertThatIllegalArgumentException().isThrownBy(() -> new EventyContext("t", null, "{\"a\"}", null, Map.of()))
			.withMessageStartingWith("causationId must be");
		assertThatIllegalArgumentException().isThrownBy(() -> new EventyContext("t", null, null, "a b", Map.of()))
			.withMessageStartingWith("traceparent must be");
	}

	@Test
	void generatesAFreshTraceIdAndNoRequestId() {
		EventyContext context = EventyContext.generate();
		assertThat(context.traceId()).matches("[0-9a-f]{32}");
		assertThat(context.requestId()).isNull();
		assertThat(context.context()).isEmpty();
	}

	@Test
	void theContextOfARecordHasItsIdsAndReplacesOrDropsInvalidOnes() {
		assertThat(EventyContext.ofRecord("trace-1", "req-1", "cause-1"))
			.isEqualTo(new EventyContext("trace-1", "req-1", "cause-1", null, Map.of()));
		EventyContext foreign = EventyContext.ofRecord("bad id", "bad\nid", null);
		assertThat(foreign.traceId()).matches("[0-9a-f]{32}");
		assertThat(foreign.requestId()).isNull();
		assertThat(foreign.causationId()).isNull();
		assertThat(EventyContext.ofRecord(null, null, null).traceId()).matches("[0-9a-f]{32}");
	}

	@Test
	void copiesWithAnotherCausationTraceparentOrContextMap() {
		EventyContext context = EventyContext.of("trace-1", "req-1");
		EventyContext caused = context.withCausationId("cause-1")
			.withTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
			.withContext(Map.of("k", 1));
		assertThat(caused).isEqualTo(new EventyContext("trace-1", "req-1", "cause-1",
				"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", Map.of("k", 1)));
		assertThat(context.causationId()).isNull();
	}

}
