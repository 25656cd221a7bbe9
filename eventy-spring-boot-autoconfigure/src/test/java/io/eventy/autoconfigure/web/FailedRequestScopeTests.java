package io.eventy.autoconfigure.web;

import java.util.Map;

import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

class FailedRequestScopeTests {

	private static final EventyContext FAILED = new EventyContext("4bf92f3577b34da6a3ce929d0e0e4736", "req-failed",
			null, null, Map.of());

	@AfterEach
	void clear() {
		MDC.clear();
	}

	@Test
	void makesTheFailedRequestsIdsCurrentUntilClosed() {
		try (FailedRequestScope failed = new FailedRequestScope()) {
			failed.open(FAILED);
			assertThat(EventyContextHolder.current()).isEqualTo(FAILED);
			assertThat(MDC.get(EventyContextHolder.requestIdMdcKey())).isEqualTo("req-failed");
		}
		assertThat(EventyContextHolder.current()).isNull();
		assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
	}

	@Test
	void leavesTheIdsAsTheyWereBeforeTheRequestEvenWhenAFilterOutsideManagedTheSameKeys() {
		String key = EventyContextHolder.requestIdMdcKey();
		try (FailedRequestScope failed = new FailedRequestScope()) {
			// a filter of the application's, outside Eventy's, sets the same key
			MDC.put(key, "set-by-another-filter");
			failed.open(FAILED);
			// and removes it on its way out, before the container logs the exception
			MDC.remove(key);
		}
		assertThat(MDC.get(key)).isNull();
		assertThat(MDC.get(EventyContextHolder.traceIdMdcKey())).isNull();
	}

	@Test
	void opensOnceForOneRequest() {
		EventyContext other = new EventyContext("0af7651916cd43dd8448eb211c80319c", "req-other", null, null, Map.of());
		try (FailedRequestScope failed = new FailedRequestScope()) {
			failed.open(FAILED);
			failed.open(other);
			assertThat(EventyContextHolder.current()).isEqualTo(FAILED);
		}
		assertThat(EventyContextHolder.current()).isNull();
	}

}
