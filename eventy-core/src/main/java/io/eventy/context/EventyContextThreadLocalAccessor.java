package io.eventy.context;

import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Lets Micrometer's context-propagation library ({@code ContextSnapshot},
 * {@code ContextPropagatingTaskDecorator}, Reactor's automatic context propagation) carry
 * the current {@link EventyContext}, MDC ids included, to other threads.
 * <p>
 * Register it once:
 * {@code ContextRegistry.getInstance().registerThreadLocalAccessor(new EventyContextThreadLocalAccessor())};
 * Eventy's auto-configuration does so when the library is present.
 */
public final class EventyContextThreadLocalAccessor implements ThreadLocalAccessor<EventyContext> {

	/** The key under which the context is captured. */
	public static final String KEY = "eventy.context";

	/**
	 * Create the accessor.
	 */
	public EventyContextThreadLocalAccessor() {
	}

	@Override
	public Object key() {
		return KEY;
	}

	@Override
	public @Nullable EventyContext getValue() {
		return EventyContextHolder.current();
	}

	@Override
	public void setValue(EventyContext value) {
		EventyContextHolder.replace(value);
	}

	@Override
	public void setValue() {
		EventyContextHolder.replace(null);
	}

	@Override
	public void restore(EventyContext previousValue) {
		EventyContextHolder.replace(previousValue);
	}

	@Override
	public void restore() {
		EventyContextHolder.replace(null);
	}

}
