package io.eventy.context;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What a unit of work carries along: the trace id (written to records as
 * {@code correlation_id}), the request id, the uuid of the record being handled (the
 * causation of whatever is emitted now), the W3C {@code traceparent} when a tracer knows
 * one, and the protocol's propagated {@code context} map.
 * <p>
 * Every id must pass {@link EventyIds#isValid(String)}: a context never carries a value
 * that could break a log line or a header. Values from outside are checked (and replaced)
 * before a context is built, with {@link EventyIds#validOrNull(String)} and friends.
 * <p>
 * <b>Context entries.</b> The {@code context} map is the protocol's self-propagating
 * context (a tenant, a user, a feature flag): each entry is a JSON object under a string
 * key, copied into every record written while this context is current and into every
 * record a handler emits while handling such a record, on every store and across services
 * (Python eventy propagates it the same way). {@link #withEntry(String, Object)} adds one
 * (from a map, a record or a bean) and {@link #entry(String, Class)} reads one as a type;
 * {@link EventyContextHolder#openWithEntry(String, Object)} and
 * {@link EventyContextHolder#entry(String, Class)} do both for the current scope.
 *
 * @param traceId the trace id
 * @param requestId the id of the request that started it all, or {@code null}
 * @param causationId the uuid of the record being handled, or {@code null}
 * @param traceparent the W3C trace parent, or {@code null}
 * @param context the protocol context map propagated to emitted records
 */
public record EventyContext(String traceId, @Nullable String requestId, @Nullable String causationId,
		@Nullable String traceparent, Map<String, Object> context) {

	/**
	 * Create a context, checking every id.
	 * @throws IllegalArgumentException when an id is not 1 to 128 characters of
	 * {@code [A-Za-z0-9._:-]} (the message never repeats the value)
	 */
	public EventyContext {
		if (!EventyIds.isValid(traceId)) {
			throw new IllegalArgumentException(invalid("traceId"));
		}
		if (requestId != null && !EventyIds.isValid(requestId)) {
			throw new IllegalArgumentException(invalid("requestId"));
		}
		if (causationId != null && !EventyIds.isValid(causationId)) {
			throw new IllegalArgumentException(invalid("causationId"));
		}
		if (traceparent != null && !EventyIds.isValid(traceparent)) {
			throw new IllegalArgumentException(invalid("traceparent"));
		}
		context = (context == null || context.isEmpty()) ? Map.of()
				: Collections.unmodifiableMap(new LinkedHashMap<>(context));
	}

	/**
	 * Create a context with a trace id and a request id.
	 * @param traceId the trace id
	 * @param requestId the request id, or {@code null}
	 * @return a new context
	 */
	public static EventyContext of(String traceId, @Nullable String requestId) {
		return new EventyContext(traceId, requestId, null, null, Map.of());
	}

	/**
	 * Create the context of a record read from a store, in which it is handled and every
	 * line about it is logged: its correlation id as trace id (a new trace id when that
	 * is not a valid id, as for a record another producer wrote), its request id (none
	 * when not valid) and its uuid as causation id.
	 * @param correlationId the record's {@code correlation_id}
	 * @param requestId the record's request id, or {@code null}
	 * @param uuid the record's uuid, or {@code null}
	 * @return a new context
	 */
	public static EventyContext ofRecord(@Nullable String correlationId, @Nullable String requestId,
			@Nullable String uuid) {
		return new EventyContext(EventyIds.validOrNewTraceId(correlationId), EventyIds.validOrNull(requestId),
				EventyIds.validOrNull(uuid), null, Map.of());
	}

	/**
	 * Create a context with fresh ids, for work that no request caused.
	 * @return a new context
	 */
	public static EventyContext generate() {
		return of(EventyIds.newTraceId(), null);
	}

	/**
	 * Return a copy with another causation id.
	 * @param causationId the uuid of the record being handled
	 * @return a new context
	 */
	public EventyContext withCausationId(@Nullable String causationId) {
		return new EventyContext(this.traceId, this.requestId, causationId, this.traceparent, this.context);
	}

	/**
	 * Return a copy with another W3C trace parent.
	 * @param traceparent the trace parent, or {@code null}
	 * @return a new context
	 */
	public EventyContext withTraceparent(@Nullable String traceparent) {
		return new EventyContext(this.traceId, this.requestId, this.causationId, traceparent, this.context);
	}

	/**
	 * Return a copy with another propagated protocol context map.
	 * @param context the map propagated to emitted records
	 * @return a new context
	 */
	public EventyContext withContext(Map<String, Object> context) {
		return new EventyContext(this.traceId, this.requestId, this.causationId, this.traceparent, context);
	}

	/**
	 * Return a copy with one more entry in the propagated context, replacing an entry of
	 * the same key.
	 * @param key the entry's key
	 * @param value the entry's value: a map, a Jackson object node, a Java record or a
	 * bean, stored as the JSON object it converts to (with a plain Jackson 2 mapper)
	 * @return a new context
	 * @throws IllegalArgumentException if the key is blank or the value does not convert
	 * to a JSON object
	 */
	public EventyContext withEntry(String key, Object value) {
		if (key == null || key.isBlank()) {
			throw new IllegalArgumentException("A context entry needs a non-blank key");
		}
		if (value == null) {
			throw new IllegalArgumentException(
					"Context entry '" + key + "' needs a value; use withoutEntry to remove one");
		}
		Map<String, Object> entries = new LinkedHashMap<>(this.context);
		entries.put(key, ContextEntries.toObject(key, value));
		return withContext(entries);
	}

	/**
	 * Return a copy without an entry of the propagated context.
	 * @param key the entry's key
	 * @return a new context, or this one when it has no such entry
	 */
	public EventyContext withoutEntry(String key) {
		if (!this.context.containsKey(key)) {
			return this;
		}
		Map<String, Object> entries = new LinkedHashMap<>(this.context);
		entries.remove(key);
		return withContext(entries);
	}

	/**
	 * Return an entry of the propagated context as a type.
	 * @param <T> the type
	 * @param key the entry's key
	 * @param type the type to convert the entry's JSON object to, such as a record, a
	 * bean or {@code Map}
	 * @return the entry, or empty when there is none
	 * @throws IllegalArgumentException if the entry does not convert to the type
	 */
	public <T> Optional<T> entry(String key, Class<T> type) {
		Object value = this.context.get(key);
		return (value != null) ? Optional.of(ContextEntries.fromObject(key, value, type)) : Optional.empty();
	}

	private static String invalid(String name) {
		return name + " must be 1 to " + EventyIds.MAX_LENGTH + " characters of [A-Za-z0-9._:-]";
	}

}
