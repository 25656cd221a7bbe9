package io.eventy.handler;

import java.util.List;

import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.context.EventyIds;
import io.eventy.context.Traceparent;
import io.eventy.context.TracingBridge;
import io.eventy.record.EventyRecord;
import io.eventy.record.PayloadConversionException;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordKind;
import io.eventy.record.RecordTypeDescriptor;
import io.eventy.service.ServiceRegistry;
import io.eventy.store.StoredRecord;
import org.jspecify.annotations.Nullable;

/**
 * One {@link EventHandler} method as a store runs it: the subscription it owns, the
 * records it selects, and the call that handles one record. Stores read records in order,
 * call {@link #handle(StoredRecord)} as the {@link #guarantee()} prescribes, retry, and
 * give up into the dead letters.
 * <p>
 * A call runs inside an {@link EventyContextHolder} scope built from the record: its
 * correlation id as trace id, its request id, its uuid as causation id and its context,
 * so whatever the handler stores carries them.
 */
public final class HandlerEndpoint {

	private final String subscription;

	/** The name of the span of each call. */
	private final String spanName;

	private final Guarantee guarantee;

	private final RecordSelector selector;

	private final HandlerMethod method;

	private final HandlerSignature signature;

	private final ResultEmitter emitter;

	private final TracingBridge tracing;

	private final @Nullable RecordTypeDescriptor responseType;

	private final List<String> topics;

	private final PayloadValidator validator;

	private final @Nullable RecordTypeDescriptor payloadType;

	private final ServiceRegistry services;

	HandlerEndpoint(String subscription, Guarantee guarantee, RecordSelector selector, HandlerMethod method,
			HandlerSignature signature, ResultEmitter emitter, TracingBridge tracing,
			@Nullable RecordTypeDescriptor responseType, List<String> topics, PayloadValidator validator,
			@Nullable RecordTypeDescriptor payloadType, ServiceRegistry services) {
		this.services = services;
		this.validator = validator;
		this.payloadType = payloadType;
		this.subscription = subscription;
		this.spanName = "eventy handle " + subscription;
		this.guarantee = guarantee;
		this.topics = List.copyOf(topics);
		this.selector = selector;
		this.method = method;
		this.signature = signature;
		this.emitter = emitter;
		this.tracing = tracing;
		this.responseType = responseType;
	}

	/**
	 * Return the name of the subscription, which keeps the checkpoint.
	 * @return the subscription name
	 */
	public String subscription() {
		return this.subscription;
	}

	/**
	 * Return the delivery guarantee.
	 * @return the guarantee
	 */
	public Guarantee guarantee() {
		return this.guarantee;
	}

	/**
	 * Return the Kafka topics of other services this subscription reads besides the
	 * store's own ({@link EventHandler#topics()}); stores without topics ignore them.
	 * @return the extra topics, in declaration order, possibly none
	 */
	public List<String> topics() {
		return this.topics;
	}

	/**
	 * Return the record type this handler selects, so that a store can filter while
	 * reading.
	 * @return the type, or {@code null} when a name pattern selects (then filter with
	 * {@link #accepts(EventyRecord)})
	 */
	public @Nullable RecordTypeDescriptor recordType() {
		return this.selector.type();
	}

	/**
	 * Return the qualified names of the records this handler selects by type, so that a
	 * store can filter while reading: its {@link #recordType() record type}'s, then the
	 * former names that {@link io.eventy.record.RecordUpcaster upcasters} rename into it.
	 * @return the names, or empty when a name pattern selects (then filter with
	 * {@link #accepts(EventyRecord)})
	 */
	public List<String> recordNames() {
		return this.selector.names();
	}

	/**
	 * Return whether this handler takes a record: its type or name matches, and the
	 * protocol routes it to this service
	 * ({@link ServiceRegistry#routesHere(EventyRecord)}: a response only when addressed
	 * to this service, a request only unless another declared service owns its
	 * namespace).
	 * @param record the record
	 * @return {@code true} when the handler takes it
	 */
	public boolean accepts(EventyRecord record) {
		return this.selector.accepts(record) && this.services.routesHere(record);
	}

	/**
	 * Return the services of the system, whose rules route records to this handler.
	 * @return the services
	 */
	public ServiceRegistry services() {
		return this.services;
	}

	/**
	 * Return whether this handler takes records of a name, even one that cannot be read.
	 * A record of a matching name that the protocol routes to another service is passed
	 * over by {@link #handle(StoredRecord)}.
	 * @param qualifiedName the record's {@code namespace:name}
	 * @return {@code true} when the name matches
	 */
	public boolean accepts(String qualifiedName) {
		return this.selector.accepts(qualifiedName);
	}

	/**
	 * Handle a record: call the method, then store what it returned (as RESPONSE records
	 * when the record is a request). Everything joins the caller's transaction, if any. A
	 * record the protocol routes to another service (a response addressed elsewhere, a
	 * request in another declared service's namespace) is passed over without a call.
	 * @param record the record
	 * @throws RuntimeException what the handler threw, unchanged, or a
	 * {@link HandlerInvocationException} for a checked exception, or a
	 * {@link PayloadConversionException} if the data does not fit the payload type
	 */
	public void handle(StoredRecord record) {
		if (!this.services.routesHere(record.record())) {
			return;
		}
		try (TracingBridge.SpanScope span = this.tracing.continueTrace(record.traceparent(), spanName());
				EventyContextHolder.Scope scope = EventyContextHolder.open(contextOf(record, span))) {
			try {
				Object[] arguments = this.signature.arguments(record);
				validateRequest(record, arguments);
				Object result = this.method.invoke(arguments, record);
				if (answersFailures(record)) {
					this.emitter.respond(record, result);
				}
				else {
					this.emitter.emit(record, result);
				}
			}
			catch (RuntimeException | Error ex) {
				span.error(ex);
				throw ex;
			}
		}
	}

	// a request from another service may break the constraints of its payload type
	private void validateRequest(StoredRecord record, Object[] arguments) {
		RecordTypeDescriptor type = this.payloadType;
		if (type != null && record.record().kind() == RecordKind.REQUEST) {
			Object payload = this.signature.payload(arguments);
			if (payload != null) {
				this.validator.validate(payload, type);
			}
		}
	}

	/**
	 * Return whether a failure with this record is answered rather than retried: a
	 * request handled by a method that returns its response gets an error RESPONSE.
	 * @param record the record that failed
	 * @return {@code true} for a request whose handler returns a response
	 */
	public boolean answersFailures(StoredRecord record) {
		return record.record().kind() == RecordKind.REQUEST && this.signature.returnsValue()
				&& this.services.routesHere(record.record());
	}

	/**
	 * Store the error RESPONSE of a request whose handler failed: {@code ok} is
	 * {@code false}, the code and message those of an
	 * {@link EventyErrorResponseException}, else
	 * {@value EventyErrorResponseException#INVALID_REQUEST} for a request whose data does
	 * not fit its payload type or fails Bean Validation (checked before the call), else
	 * {@value EventyErrorResponseException#INTERNAL_ERROR} with the exception's message.
	 * @param record the request
	 * @param failure what the handler threw
	 */
	public void answerFailure(StoredRecord record, Throwable failure) {
		try (TracingBridge.SpanScope span = this.tracing.continueTrace(record.traceparent(), spanName());
				EventyContextHolder.Scope scope = EventyContextHolder.open(contextOf(record, span))) {
			span.error(failure);
			this.emitter.respondWithError(record, failure, this.responseType);
		}
	}

	/**
	 * Return whether calling the handler again could succeed. A record whose data does
	 * not convert to the payload type never will.
	 * @param failure what the call threw
	 * @return {@code false} for a {@link PayloadConversionException}
	 */
	public boolean isRetryable(Throwable failure) {
		return !(failure instanceof PayloadConversionException);
	}

	/**
	 * Return the handler method, for messages.
	 * @return the declaring class, method name and parameter types
	 */
	public String handlerName() {
		return this.method.description();
	}

	@Override
	public String toString() {
		return "HandlerEndpoint[" + this.subscription + " " + this.guarantee + " " + this.selector + " -> "
				+ this.method + "]";
	}

	private String spanName() {
		return this.spanName;
	}

	// MDC traceId stays the record's correlation id (the contract); the handler's span,
	// when a tracer runs one, becomes the parent of what the handler emits
	private static EventyContext contextOf(StoredRecord stored, TracingBridge.SpanScope span) {
		EventyRecord record = stored.record();
		String traceparent = (span.traceparent() != null) ? span.traceparent()
				: (Traceparent.parse(stored.traceparent()) != null) ? stored.traceparent() : null;
		// the ids as EventyContext.ofRecord takes them; a uuid's text is always a valid
		// id
		return new EventyContext(EventyIds.validOrNewTraceId(record.correlationId()),
				EventyIds.validOrNull(stored.requestId()), record.uuid().toString(), traceparent, record.context());
	}

}
