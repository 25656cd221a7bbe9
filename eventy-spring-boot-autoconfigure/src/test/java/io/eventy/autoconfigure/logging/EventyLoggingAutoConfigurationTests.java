package io.eventy.autoconfigure.logging;

import io.eventy.context.EventyContextHolder;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class EventyLoggingAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EventyLoggingAutoConfiguration.class));

	@Test
	void publishesIdsUnderTheDefaultMdcKeys() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(EventyMdcKeys.class);
			assertThat(EventyContextHolder.traceIdMdcKey()).isEqualTo("traceId");
			assertThat(EventyContextHolder.requestIdMdcKey()).isEqualTo("requestId");
		});
	}

	@Test
	void publishesIdsUnderConfiguredMdcKeysWhileTheApplicationRuns() {
		this.runner.withPropertyValues("eventy.mdc.trace-id-key=trace_id", "eventy.mdc.request-id-key=request_id")
			.run((context) -> {
				assertThat(EventyContextHolder.traceIdMdcKey()).isEqualTo("trace_id");
				assertThat(EventyContextHolder.requestIdMdcKey()).isEqualTo("request_id");
			});
		assertThat(EventyContextHolder.traceIdMdcKey()).isEqualTo("traceId");
		assertThat(EventyContextHolder.requestIdMdcKey()).isEqualTo("requestId");
	}

	@Test
	void failsAtStartupWhenBothIdsShareOneMdcKey() {
		this.runner.withPropertyValues("eventy.mdc.trace-id-key=id", "eventy.mdc.request-id-key=id")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("different MDC keys"));
	}

}
