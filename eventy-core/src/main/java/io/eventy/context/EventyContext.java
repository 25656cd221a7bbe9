package io.eventy.context;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a unit of work carries along: the trace id (written to records as
 * {@code correlation_id}), the request id, the uuid of the record being handled (the
 * causation of whatever is emitted now), the W3C {@code traceparent} when a tracer knows
 * one, and the protocol's propagated {@code context} map.
 *
 * @param traceId the trace id
 * @param requestId the id of the request that started it all, or {@code null}
 * @param causationId the uuid of the record being handled, or {@code null}
 * @param traceparent the W3C trace parent, or {@code null}
 * @param context the protocol context map propagated to emitted records
 */
public record EventyContext(String traceId, @Nullable String requestId, @Nullable String causationId,
		@Nullable String traceparent, Map<String, Object> context) {

	public EventyContext {
		if (traceId == null || traceId.isBlank()) {
			throw new IllegalArgumentException("traceId must not be blank");
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

}
