package io.eventy.autoconfigure.tracing;

import io.eventy.context.EventyContextHolder;

import org.springframework.core.task.TaskDecorator;

/**
 * Runs each task inside the Eventy context of the thread that submitted it, so
 * {@code @Async} methods and executor tasks log and write records with the same trace and
 * request ids.
 */
final class EventyContextTaskDecorator implements TaskDecorator {

	@Override
	public Runnable decorate(Runnable runnable) {
		return EventyContextHolder.wrap(runnable);
	}

}
