package io.eventy.autoconfigure.web;

import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import org.jspecify.annotations.Nullable;

/**
 * The context of a request that failed with an uncaught exception, current from when the
 * exception leaves the outermost filter until the servlet container has logged it: the
 * container logs it after every filter has returned, when every filter (a tracer's, and
 * {@link EventyRequestContextFilter}) has restored its MDC values.
 * {@link EventyContextValve} creates one per request and closes it once the container is
 * done.
 */
final class FailedRequestScope implements AutoCloseable {

	/** The request attribute that holds the instance of the request. */
	static final String ATTRIBUTE = FailedRequestScope.class.getName();

	private EventyContextHolder.@Nullable Scope scope;

	/**
	 * Make the failed request's context current, unless it is already.
	 * @param context the request's context
	 */
	void open(EventyContext context) {
		if (this.scope == null) {
			this.scope = EventyContextHolder.open(context);
		}
	}

	@Override
	public void close() {
		EventyContextHolder.Scope opened = this.scope;
		this.scope = null;
		if (opened != null) {
			opened.close();
		}
	}

}
