package io.eventy.autoconfigure.tracing;

import io.eventy.context.EventyContextThreadLocalAccessor;
import io.micrometer.context.ContextRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;

/**
 * Auto-configuration that carries the Eventy context to other threads.
 * <p>
 * A {@link TaskDecorator} bean, unless the application defines one (Spring Boot applies a
 * task decorator only when exactly one exists); and, when Micrometer's
 * context-propagation library is present, a {@code ThreadLocalAccessor} registered in the
 * global {@link ContextRegistry}, so that {@code ContextPropagatingTaskDecorator} or
 * Reactor carry the ids too.
 */
@AutoConfiguration(before = TaskExecutionAutoConfiguration.class)
public final class EventyContextPropagationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(TaskDecorator.class)
	EventyContextTaskDecorator eventyContextTaskDecorator() {
		return new EventyContextTaskDecorator();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ContextRegistry.class)
	static class ContextRegistryConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EventyContextThreadLocalAccessor eventyContextThreadLocalAccessor() {
			EventyContextThreadLocalAccessor accessor = new EventyContextThreadLocalAccessor();
			ContextRegistry.getInstance().registerThreadLocalAccessor(accessor);
			return accessor;
		}

	}

}
