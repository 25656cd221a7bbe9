package io.eventy.handler;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.record.EventyRecord;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordKind;
import io.eventy.record.RecordTypeDescriptor;
import io.eventy.store.EventStore;
import io.eventy.store.StoredRecord;
import org.jspecify.annotations.Nullable;

/**
 * Stores what a handler returned: each payload becomes a record published with the
 * handled record's partition key, inside the handler's context scope (so it carries the
 * handled record's trace id, request id and context, and its uuid as causation id). The
 * answer of a request handler becomes a RESPONSE to the request's source; its failure an
 * error RESPONSE whose code {@link ErrorResponses} decides.
 */
final class ResultEmitter {

	private final EventStore store;

	private final RecordFactory factory;

	private final PayloadValidator validator;

	ResultEmitter(EventStore store, RecordFactory factory, PayloadValidator validator) {
		this.store = store;
		this.factory = factory;
		this.validator = validator;
	}

	/**
	 * Store the records a handler returned.
	 * @param handled the record the handler handled
	 * @param result what it returned: {@code null}, a payload or a collection of payloads
	 */
	void emit(StoredRecord handled, @Nullable Object result) {
		for (Object payload : payloads(result)) {
			this.store.publish(this.factory.create(payload, handled.record().partitionKey()));
		}
	}

	/**
	 * Store the answer of a request handler as RESPONSE records.
	 * @param request the request
	 * @param result what the handler returned
	 */
	void respond(StoredRecord request, @Nullable Object result) {
		for (Object payload : payloads(result)) {
			if (payload instanceof EventyRecord record) {
				this.store.publish(record);
				continue;
			}
			// the factory builds the kind the type declares; a response needs the request
			// too
			RecordTypeDescriptor type = this.factory.registry().descriptorFor(payload.getClass());
			this.validator.validate(payload, type);
			this.store.publish(response(request.record(), type.namespace(), type.name(), type.version())
				.data(this.factory.converter().toData(payload))
				.ok(true)
				.build());
		}
	}

	/**
	 * Store an error RESPONSE for a request whose handler threw.
	 * @param request the request
	 * @param error what the handler threw
	 * @param responseType the declared response type, or {@code null} to name the
	 * response after the request
	 */
	void respondWithError(StoredRecord request, Throwable error, @Nullable RecordTypeDescriptor responseType) {
		EventyRecord requestRecord = request.record();
		EventyRecord.Builder builder = (responseType != null)
				? response(requestRecord, responseType.namespace(), responseType.name(), responseType.version())
				: response(requestRecord, requestRecord.namespace(), requestRecord.name() + "Response", "1.0.0");
		this.store.publish(builder.data(JsonNodeFactory.instance.objectNode())
			.ok(false)
			.errorCode(ErrorResponses.code(error))
			.errorMessage(ErrorResponses.message(error))
			.build());
	}

	private EventyRecord.Builder response(EventyRecord request, String namespace, String name, String version) {
		EventyContext context = EventyContextHolder.current();
		return EventyRecord.builder(RecordKind.RESPONSE)
			.namespace(namespace)
			.name(name)
			.version(version)
			.source(this.factory.source())
			.correlationId((context != null) ? context.traceId() : request.correlationId())
			.partitionKey(request.partitionKey())
			.context((context != null) ? context.context() : request.context())
			.destination(request.source())
			.requestUuid(request.uuid());
	}

	private static Collection<?> payloads(@Nullable Object result) {
		if (result == null) {
			return List.of();
		}
		if (result instanceof Collection<?> collection) {
			return collection.stream().filter(Objects::nonNull).toList();
		}
		return List.of(result);
	}

}
