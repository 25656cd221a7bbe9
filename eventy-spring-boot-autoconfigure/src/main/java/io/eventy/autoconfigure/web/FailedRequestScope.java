package io.eventy.autoconfigure.web;

import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

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

	private final String traceIdKey = EventyContextHolder.traceIdMdcKey();

	private final String requestIdKey = EventyContextHolder.requestIdMdcKey();

	// the MDC ids as they were before the request: filters outside Eventy's may manage
	// the same keys, and closing the failed request's scope would put back what such a
	// filter had set and has removed since
	private final @Nullable String traceIdBefore = MDC.get(this.traceIdKey);

	private final @Nullable String requestIdBefore = MDC.get(this.requestIdKey);

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
			restore(this.traceIdKey, this.traceIdBefore);
			restore(this.requestIdKey, this.requestIdBefore);
		}
	}

	private static void restore(String key, @Nullable String value) {
		if (value != null) {
			MDC.put(key, value);
		}
		else {
			MDC.remove(key);
		}
	}

}
