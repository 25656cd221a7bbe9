package io.eventy.autoconfigure.tracing;

import java.util.concurrent.TimeUnit;

import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.context.EventyContextThreadLocalAccessor;
import io.micrometer.context.ContextRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

class EventyContextPropagationAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(EventyContextPropagationAutoConfiguration.class, TaskExecutionAutoConfiguration.class));

	@Test
	void decoratesSpringBootsTaskExecutorSoTasksKeepTheIds() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(EventyContextTaskDecorator.class);
			ThreadPoolTaskExecutor executor = context.getBean(ThreadPoolTaskExecutor.class);
			try (EventyContextHolder.Scope scope = EventyContextHolder.open(EventyContext.of("trace-1", "req-1"))) {
				String seen = executor
					.submit(() -> MDC.get("traceId") + "/" + EventyContextHolder.current().requestId())
					.get(10, TimeUnit.SECONDS);
				assertThat(seen).isEqualTo("trace-1/req-1");
			}
			assertThat(executor.submit(() -> EventyContextHolder.current()).get(10, TimeUnit.SECONDS)).isNull();
		});
	}

	@Test
	void backsOffToATaskDecoratorOfTheApplication() {
		TaskDecorator own = (runnable) -> runnable;
		this.runner.withBean("ownDecorator", TaskDecorator.class, () -> own).run((context) -> {
			assertThat(context).doesNotHaveBean(EventyContextTaskDecorator.class);
			assertThat(context).getBean(TaskDecorator.class).isSameAs(own);
		});
	}

	@Test
	void registersTheContextAccessorWithContextPropagation() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(EventyContextThreadLocalAccessor.class);
			assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
				.filteredOn((accessor) -> EventyContextThreadLocalAccessor.KEY.equals(accessor.key()))
				.hasSize(1);
		});
		this.runner.run((context) -> assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
			.filteredOn((accessor) -> EventyContextThreadLocalAccessor.KEY.equals(accessor.key()))
			.hasSize(1));
	}

	@Test
	void skipsTheContextAccessorWithoutContextPropagation() {
		this.runner.withClassLoader(new FilteredClassLoader(ContextRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(EventyContextThreadLocalAccessor.class)
				.hasSingleBean(EventyContextTaskDecorator.class));
	}

}
