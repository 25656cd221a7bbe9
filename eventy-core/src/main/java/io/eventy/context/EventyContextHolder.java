package io.eventy.context;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Holds the current {@link EventyContext} of a thread and mirrors its ids into the SLF4J
 * MDC. {@link #open(EventyContext)} returns a {@link Scope}: closing it restores the
 * previous context and the previous MDC values, so nothing leaks into the next unit of
 * work on a pooled thread.
 *
 * <pre class="code">
 * try (EventyContextHolder.Scope scope = EventyContextHolder.open(context)) {
 *     // records written here carry the context's ids
 * }
 * </pre>
 */
public final class EventyContextHolder {

	/** The default MDC key of the trace id. */
	public static final String DEFAULT_TRACE_ID_KEY = "traceId";

	/** The default MDC key of the request id. */
	public static final String DEFAULT_REQUEST_ID_KEY = "requestId";

	private static final ThreadLocal<EventyContext> CURRENT = new ThreadLocal<>();

	private static volatile String traceIdKey = DEFAULT_TRACE_ID_KEY;

	private static volatile String requestIdKey = DEFAULT_REQUEST_ID_KEY;

	private EventyContextHolder() {
	}

	/**
	 * Return the current context.
	 * @return the current context, or {@code null} outside any scope
	 */
	public static @Nullable EventyContext current() {
		return CURRENT.get();
	}

	/**
	 * Make a context current until the returned scope is closed.
	 * @param context the context
	 * @return a scope that restores the previous context and MDC values
	 */
	public static Scope open(EventyContext context) {
		EventyContext previous = CURRENT.get();
		String traceKey = traceIdKey;
		String requestKey = requestIdKey;
		String previousTraceId = MDC.get(traceKey);
		String previousRequestId = MDC.get(requestKey);
		CURRENT.set(context);
		MDC.put(traceKey, context.traceId());
		putOrRemove(requestKey, context.requestId());
		return () -> {
			if (previous != null) {
				CURRENT.set(previous);
			}
			else {
				CURRENT.remove();
			}
			putOrRemove(traceKey, previousTraceId);
			putOrRemove(requestKey, previousRequestId);
		};
	}

	/**
	 * Set the MDC keys under which ids are published.
	 * @param traceIdMdcKey the MDC key of the trace id
	 * @param requestIdMdcKey the MDC key of the request id
	 */
	public static void setMdcKeys(String traceIdMdcKey, String requestIdMdcKey) {
		traceIdKey = traceIdMdcKey;
		requestIdKey = requestIdMdcKey;
	}

	private static void putOrRemove(String key, @Nullable String value) {
		if (value != null) {
			MDC.put(key, value);
		}
		else {
			MDC.remove(key);
		}
	}

	/**
	 * A context scope; closing it restores what was current before it was opened.
	 */
	@FunctionalInterface
	public interface Scope extends AutoCloseable {

		/**
		 * Restore the previous context and MDC values.
		 */
		@Override
		void close();

	}

}
