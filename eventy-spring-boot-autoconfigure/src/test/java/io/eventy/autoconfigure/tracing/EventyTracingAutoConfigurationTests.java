package io.eventy.autoconfigure.tracing;

import io.eventy.context.MicrometerTracingBridge;
import io.eventy.context.TracingBridge;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class EventyTracingAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EventyTracingAutoConfiguration.class));

	@Test
	void usesTheNoopBridgeWithoutATracer() {
		this.runner.run((context) -> assertThat(context).getBean(TracingBridge.class).isSameAs(TracingBridge.noop()));
	}

	@Test
	void bridgesSpringBootsBraveTracer() {
		this.runner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
				BraveAutoConfiguration.class, MicrometerTracingAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(TracingBridge.class);
				assertThat(context).getBean(TracingBridge.class).isInstanceOf(MicrometerTracingBridge.class);
			});
	}

	@Test
	void bridgesATracerBeanOfTheApplication() {
		this.runner.withBean(Tracer.class, () -> Tracer.NOOP)
			.run((context) -> assertThat(context).getBean(TracingBridge.class)
				.isInstanceOf(MicrometerTracingBridge.class));
	}

	@Test
	void backsOffToABridgeOfTheApplication() {
		TracingBridge own = TracingBridge.noop();
		this.runner.withBean(Tracer.class, () -> Tracer.NOOP)
			.withBean("ownBridge", TracingBridge.class, () -> own)
			.run((context) -> {
				assertThat(context).hasSingleBean(TracingBridge.class);
				assertThat(context).getBean(TracingBridge.class).isSameAs(own);
			});
	}

	@Test
	void usesTheNoopBridgeWithoutMicrometerTracing() {
		this.runner.withClassLoader(new FilteredClassLoader(Tracer.class))
			.run((context) -> assertThat(context).getBean(TracingBridge.class).isSameAs(TracingBridge.noop()));
	}

}
