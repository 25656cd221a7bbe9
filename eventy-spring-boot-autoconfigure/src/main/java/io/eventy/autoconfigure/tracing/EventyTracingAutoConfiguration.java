package io.eventy.autoconfigure.tracing;

import io.eventy.context.MicrometerTracingBridge;
import io.eventy.context.TracingBridge;
import io.micrometer.tracing.Tracer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@link TracingBridge} through which Eventy reads the current
 * trace and starts handler spans: a {@link MicrometerTracingBridge} when a Micrometer
 * {@link Tracer} bean exists, else {@link TracingBridge#noop()}.
 */
@AutoConfiguration(afterName = {
		"org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration" })
public final class EventyTracingAutoConfiguration {

	// nested configurations register their beans before this class's own methods
	@Bean
	@ConditionalOnMissingBean(TracingBridge.class)
	TracingBridge eventyNoopTracingBridge() {
		return TracingBridge.noop();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Tracer.class)
	static class MicrometerTracingBridgeConfiguration {

		@Bean
		@ConditionalOnBean(Tracer.class)
		@ConditionalOnMissingBean(TracingBridge.class)
		MicrometerTracingBridge eventyTracingBridge(Tracer tracer) {
			return new MicrometerTracingBridge(tracer);
		}

	}

}
