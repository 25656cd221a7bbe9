package io.eventy.autoconfigure.web;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.context.TracingBridge;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class EventyRequestContextFilterTests {

	private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

	private final List<Seen> seen = new ArrayList<>();

	private final FilterChain recordingChain = (request, response) -> this.seen
		.add(new Seen(EventyContextHolder.current(), MDC.get("traceId"), MDC.get("requestId")));

	@AfterEach
	void cleanUp() {
		MDC.clear();
	}

	@Test
	void honoursAndEchoesAValidRequestId() throws Exception {
		MockHttpServletResponse response = filter(request("X-Request-Id", "req-42"));
		assertThat(response.getHeader("X-Request-Id")).isEqualTo("req-42");
		assertThat(onlySeen().requestId()).isEqualTo("req-42");
		assertThat(onlySeen().mdcRequestId()).isEqualTo("req-42");
	}

	@Test
	void usesAValidCorrelationIdAsTheTraceIdWhenNoTracerKnowsOne() throws Exception {
		filter(request("X-Correlation-Id", "corr-7"));
		assertThat(onlySeen().traceId()).isEqualTo("corr-7");
		assertThat(onlySeen().mdcTraceId()).isEqualTo("corr-7");
		assertThat(onlySeen().context().traceparent()).isNull();
	}

	@Test
	void generatesAUuidRequestIdAndA32HexTraceIdWithoutHeaders() throws Exception {
		MockHttpServletResponse response = filter(new MockHttpServletRequest("GET", "/"));
		Seen seen = onlySeen();
		assertThat(UUID.fromString(seen.requestId()).version()).isEqualTo(4);
		assertThat(seen.traceId()).matches("[0-9a-f]{32}");
		assertThat(response.getHeader("X-Request-Id")).isEqualTo(seen.requestId());
	}

	@Test
	void replacesHostileHeaderValuesAndNeverReflectsThem() throws Exception {
		String[] hostile = { "x".repeat(300), "\"quoted\"", "{\"json\":1}", "caf\u00e9", "\u65e5\u672c", "a b",
				"<script>", "a\r\nSet-Cookie: x=1", "" };
		for (String value : hostile) {
			this.seen.clear();
			MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
			request.addHeader("X-Request-Id", value);
			request.addHeader("X-Correlation-Id", value);
			MockHttpServletResponse response = filter(request);
			Seen seen = onlySeen();
			assertThat(seen.requestId()).as(value).isNotEqualTo(value).satisfies((id) -> UUID.fromString(id));
			assertThat(seen.traceId()).as(value).matches("[0-9a-f]{32}");
			assertThat(response.getHeader("X-Request-Id")).isEqualTo(seen.requestId());
		}
	}

	@Test
	void prefersTheTracersTraceIdAndKeepsItsTraceparent() throws Exception {
		TracingBridge tracing = new FixedTracing("4bf92f3577b34da6a3ce929d0e0e4736", TRACEPARENT);
		EventyRequestContextFilter filter = new EventyRequestContextFilter("X-Request-Id", "X-Correlation-Id", tracing);
		filter.doFilter(request("X-Correlation-Id", "ignored-when-traced"), new MockHttpServletResponse(),
				this.recordingChain);
		assertThat(onlySeen().traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
		assertThat(onlySeen().context().traceparent()).isEqualTo(TRACEPARENT);
	}

	@Test
	void leavesNoContextAndNoMdcIdsBehind() throws Exception {
		MDC.put("traceId", "outer");
		filter(request("X-Request-Id", "req-1"));
		assertThat(EventyContextHolder.current()).isNull();
		assertThat(MDC.get("traceId")).isEqualTo("outer");
		assertThat(MDC.get("requestId")).isNull();
	}

	@Test
	void leavesNoContextBehindWhenTheChainThrows() {
		EventyRequestContextFilter filter = newFilter();
		MockHttpServletRequest request = request("X-Request-Id", "req-1");
		FilterChain failing = (req, res) -> {
			throw new IllegalStateException("boom");
		};
		assertThatIllegalStateException()
			.isThrownBy(() -> filter.doFilter(request, new MockHttpServletResponse(), failing))
			.withMessage("boom");
		assertThat(EventyContextHolder.current()).isNull();
		assertThat(MDC.get("requestId")).isNull();
	}

	@Test
	void keepsTheIdsOfTheRequestInAsyncAndErrorDispatches() throws Exception {
		EventyRequestContextFilter filter = newFilter();
		MockHttpServletRequest request = request("X-Correlation-Id", "corr-1");
		filter.doFilter(request, new MockHttpServletResponse(), this.recordingChain);
		EventyContext first = onlySeen().context();
		for (DispatcherType type : new DispatcherType[] { DispatcherType.ASYNC, DispatcherType.ERROR }) {
			this.seen.clear();
			request.setDispatcherType(type);
			request.removeHeader("X-Correlation-Id");
			request.setAsyncStarted(false);
			filter.doFilter(request, new MockHttpServletResponse(), this.recordingChain);
			assertThat(onlySeen().context()).as(type.name()).isSameAs(first);
			assertThat(onlySeen().mdcRequestId()).isEqualTo(first.requestId());
		}
	}

	@Test
	void usesConfiguredHeaderNames() throws Exception {
		EventyRequestContextFilter filter = new EventyRequestContextFilter("Request-Ref", "Trace-Ref",
				TracingBridge.noop());
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		request.addHeader("Request-Ref", "r-1");
		request.addHeader("Trace-Ref", "t-1");
		MockHttpServletResponse response = new MockHttpServletResponse();
		filter.doFilter(request, response, this.recordingChain);
		assertThat(onlySeen().requestId()).isEqualTo("r-1");
		assertThat(onlySeen().traceId()).isEqualTo("t-1");
		assertThat(response.getHeader("Request-Ref")).isEqualTo("r-1");
		assertThat(response.getHeader("X-Request-Id")).isNull();
	}

	private MockHttpServletResponse filter(MockHttpServletRequest request) throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		newFilter().doFilter(request, response, this.recordingChain);
		return response;
	}

	private static EventyRequestContextFilter newFilter() {
		return new EventyRequestContextFilter("X-Request-Id", "X-Correlation-Id", TracingBridge.noop());
	}

	private static MockHttpServletRequest request(String header, String value) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		request.addHeader(header, value);
		return request;
	}

	private Seen onlySeen() {
		assertThat(this.seen).hasSize(1);
		return this.seen.get(0);
	}

	private record Seen(EventyContext context, String mdcTraceId, String mdcRequestId) {

		String traceId() {
			return this.context.traceId();
		}

		String requestId() {
			return this.context.requestId();
		}

	}

	private record FixedTracing(String traceId, String traceparent) implements TracingBridge {

		@Override
		public String currentTraceId() {
			return this.traceId;
		}

		@Override
		public String currentTraceparent() {
			return this.traceparent;
		}

		@Override
		public SpanScope continueTrace(@Nullable String traceparent, String spanName) {
			return TracingBridge.noop().continueTrace(traceparent, spanName);
		}

	}

}
