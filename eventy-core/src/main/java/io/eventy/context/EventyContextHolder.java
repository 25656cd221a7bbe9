package io.eventy.context;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

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
 *     // records written and lines logged here carry the context's ids
 * }
 * </pre>
 */
public final class EventyContextHolder {

	/** The default MDC key of the trace id. */
	public static final String DEFAULT_TRACE_ID_KEY = "traceId";

	/** The default MDC key of the request id. */
	public static final String DEFAULT_REQUEST_ID_KEY = "requestId";

	private static final ThreadLocal<EventyContext> CURRENT = new ThreadLocal<>();

	private static volatile MdcKeys mdcKeys = new MdcKeys(DEFAULT_TRACE_ID_KEY, DEFAULT_REQUEST_ID_KEY);

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
	 * Make a context current until the returned scope is closed. Scopes nest: close them
	 * in the reverse order of opening (try-with-resources does).
	 * @param context the context
	 * @return a scope that restores the previous context and MDC values
	 */
	public static Scope open(EventyContext context) {
		Objects.requireNonNull(context, "context must not be null");
		MdcKeys keys = mdcKeys;
		EventyContext previous = CURRENT.get();
		String previousTraceId = MDC.get(keys.traceId());
		String previousRequestId = MDC.get(keys.requestId());
		CURRENT.set(context);
		MDC.put(keys.traceId(), context.traceId());
		putOrRemove(keys.requestId(), context.requestId());
		return new RestoringScope(keys, previous, previousTraceId, previousRequestId);
	}

	/**
	 * Make the current context, with one more entry in its propagated {@code context}
	 * map, current until the returned scope is closed. Outside any scope, a context with
	 * a new trace id is opened. Every record written in the scope carries the entry, and
	 * so does every record a handler emits while handling one of them.
	 *
	 * <pre class="code">
	 * try (EventyContextHolder.Scope scope = EventyContextHolder.openWithEntry("tenant", new Tenant("acme"))) {
	 *     store.append(stream, ExpectedVersion.any(), new OrderPlaced("42"));
	 * }
	 * </pre>
	 * @param key the entry's key
	 * @param value the entry's value: a map, a Jackson object node, a Java record or a
	 * bean, stored as the JSON object it converts to
	 * @return a scope that restores the previous context and MDC values
	 * @throws IllegalArgumentException if the key is blank or the value does not convert
	 * to a JSON object
	 * @see EventyContext#withEntry(String, Object)
	 */
	public static Scope openWithEntry(String key, Object value) {
		EventyContext current = CURRENT.get();
		return open(((current != null) ? current : EventyContext.generate()).withEntry(key, value));
	}

	/**
	 * Return an entry of the current context's propagated {@code context} map as a type,
	 * such as in a handler of a record that carries it.
	 *
	 * <pre class="code">
	 * Tenant tenant = EventyContextHolder.entry("tenant", Tenant.class).orElseThrow();
	 * </pre>
	 * @param <T> the type
	 * @param key the entry's key
	 * @param type the type to convert the entry's JSON object to
	 * @return the entry, or empty outside any scope or when there is none
	 * @throws IllegalArgumentException if the entry does not convert to the type
	 * @see EventyContext#entry(String, Class)
	 */
	public static <T> Optional<T> entry(String key, Class<T> type) {
		EventyContext current = CURRENT.get();
		return (current != null) ? current.entry(key, type) : Optional.empty();
	}

	/**
	 * Return a task that runs inside the context current now (if any), on whatever thread
	 * runs it.
	 * @param task the task
	 * @return the task itself when no context is current, else a wrapping task
	 */
	public static Runnable wrap(Runnable task) {
		EventyContext context = CURRENT.get();
		if (context == null) {
			return task;
		}
		return () -> {
			try (Scope scope = open(context)) {
				task.run();
			}
		};
	}

	/**
	 * Return a task that runs inside the context current now (if any), on whatever thread
	 * runs it.
	 * @param <V> the task's result type
	 * @param task the task
	 * @return the task itself when no context is current, else a wrapping task
	 */
	public static <V> Callable<V> wrap(Callable<V> task) {
		EventyContext context = CURRENT.get();
		if (context == null) {
			return task;
		}
		return () -> {
			try (Scope scope = open(context)) {
				return task.call();
			}
		};
	}

	/**
	 * Set the MDC keys under which ids are published; scopes opened afterwards use them.
	 * @param traceIdMdcKey the MDC key of the trace id
	 * @param requestIdMdcKey the MDC key of the request id
	 * @throws IllegalArgumentException when a key is blank or both are the same
	 */
	public static void setMdcKeys(String traceIdMdcKey, String requestIdMdcKey) {
		if (traceIdMdcKey == null || traceIdMdcKey.isBlank() || requestIdMdcKey == null || requestIdMdcKey.isBlank()) {
			throw new IllegalArgumentException("MDC keys must not be blank");
		}
		if (traceIdMdcKey.equals(requestIdMdcKey)) {
			throw new IllegalArgumentException("the trace id and the request id need different MDC keys");
		}
		mdcKeys = new MdcKeys(traceIdMdcKey, requestIdMdcKey);
	}

	/**
	 * Return the MDC key of the trace id.
	 * @return the MDC key
	 */
	public static String traceIdMdcKey() {
		return mdcKeys.traceId();
	}

	/**
	 * Return the MDC key of the request id.
	 * @return the MDC key
	 */
	public static String requestIdMdcKey() {
		return mdcKeys.requestId();
	}

	/**
	 * Make a context current (or none) without a scope, for propagation libraries that
	 * restore the previous value themselves.
	 * @param context the context, or {@code null} to clear
	 */
	static void replace(@Nullable EventyContext context) {
		MdcKeys keys = mdcKeys;
		if (context != null) {
			CURRENT.set(context);
			MDC.put(keys.traceId(), context.traceId());
			putOrRemove(keys.requestId(), context.requestId());
		}
		else {
			CURRENT.remove();
			MDC.remove(keys.traceId());
			MDC.remove(keys.requestId());
		}
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

	private record MdcKeys(String traceId, String requestId) {

	}

	private static final class RestoringScope implements Scope {

		private final MdcKeys keys;

		private final @Nullable EventyContext previous;

		private final @Nullable String previousTraceId;

		private final @Nullable String previousRequestId;

		private boolean closed;

		RestoringScope(MdcKeys keys, @Nullable EventyContext previous, @Nullable String previousTraceId,
				@Nullable String previousRequestId) {
			this.keys = keys;
			this.previous = previous;
			this.previousTraceId = previousTraceId;
			this.previousRequestId = previousRequestId;
		}

		@Override
		public void close() {
			if (this.closed) {
				return;
			}
			this.closed = true;
			if (this.previous != null) {
				CURRENT.set(this.previous);
			}
			else {
				CURRENT.remove();
			}
			putOrRemove(this.keys.traceId(), this.previousTraceId);
			putOrRemove(this.keys.requestId(), this.previousRequestId);
		}

	}

}
