package io.eventy.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on the records of one payload type among a list, from
 * {@link StoredRecordsAssert#containsRecord(Class)}. Each {@code with…} call keeps the
 * records that match it as well as every call before, and fails when none is left,
 * showing each record of the type. {@link #actual} is the first record left.
 *
 * @param <T> the payload type
 */
public final class StoredRecordAssert<T> extends AbstractAssert<StoredRecordAssert<T>, StoredRecord> {

	private final List<StoredRecord> all;

	private final List<StoredRecord> candidates;

	private final Class<T> payloadType;

	private final List<String> conditions;

	StoredRecordAssert(List<StoredRecord> all, List<StoredRecord> candidates, Class<T> payloadType,
			List<String> conditions) {
		super(candidates.get(0), StoredRecordAssert.class);
		this.all = all;
		this.candidates = candidates;
		this.payloadType = payloadType;
		this.conditions = conditions;
	}

	/**
	 * Keep the records with a correlation (trace) id.
	 * @param correlationId the expected {@code correlation_id}
	 * @return assertions on the records that have it
	 */
	public StoredRecordAssert<T> withCorrelationId(String correlationId) {
		return narrow("correlation id " + correlationId,
				(record) -> Objects.equals(record.record().correlationId(), correlationId));
	}

	/**
	 * Keep the records with a request id.
	 * @param requestId the expected request id
	 * @return assertions on the records that have it
	 */
	public StoredRecordAssert<T> withRequestId(String requestId) {
		return narrow("request id " + requestId, (record) -> Objects.equals(record.requestId(), requestId));
	}

	/**
	 * Keep the records emitted while handling a record.
	 * @param causationId the expected causation id, the uuid of the handled record
	 * @return assertions on the records that have it
	 */
	public StoredRecordAssert<T> withCausationId(String causationId) {
		return narrow("causation id " + causationId, (record) -> Objects.equals(record.causationId(), causationId));
	}

	/**
	 * Keep the records of a stream.
	 * @param stream the expected stream
	 * @return assertions on the records of that stream
	 */
	public StoredRecordAssert<T> withStream(StreamId stream) {
		return narrow("stream " + stream, (record) -> Objects.equals(record.stream(), stream));
	}

	/**
	 * Keep the records whose payload equals an expected one.
	 * @param expected the expected payload
	 * @return assertions on the records that have it
	 */
	public StoredRecordAssert<T> withPayload(T expected) {
		Objects.requireNonNull(expected, "expected");
		return narrow("payload " + expected, (record) -> expected.equals(payload(record)));
	}

	/**
	 * Keep the records whose payload matches a predicate.
	 * @param predicate the condition on the payload
	 * @return assertions on the records whose payload matches it
	 */
	public StoredRecordAssert<T> withPayload(Predicate<? super T> predicate) {
		Objects.requireNonNull(predicate, "predicate");
		return narrow("a payload matching the predicate", (record) -> {
			T payload = payload(record);
			return payload != null && predicate.test(payload);
		});
	}

	/**
	 * Return the payload of the first record left.
	 * @return the payload, read as the payload type
	 */
	public T payload() {
		return this.actual.payload(this.payloadType);
	}

	private @Nullable T payload(StoredRecord record) {
		try {
			return record.payload(this.payloadType);
		}
		catch (RuntimeException ex) {
			// a record whose data does not fit the class matches no payload condition
			return null;
		}
	}

	private StoredRecordAssert<T> narrow(String condition, Predicate<StoredRecord> matches) {
		List<String> required = new ArrayList<>(this.conditions);
		required.add(condition);
		List<StoredRecord> left = this.candidates.stream().filter(matches).toList();
		if (left.isEmpty()) {
			List<StoredRecord> ofType = this.all.stream()
				.filter((record) -> RecordDescriptions.isOf(record, this.payloadType))
				.toList();
			failWithMessage(
					"Expecting a record of type %s with %s among the %d record(s) of that type:%n%s%n"
							+ "but none has %s",
					RecordDescriptions.typeOf(this.payloadType), String.join(", ", required), ofType.size(),
					RecordDescriptions.describe(ofType), (required.size() > 1) ? "all of these" : condition);
		}
		return new StoredRecordAssert<>(this.all, left, this.payloadType, List.copyOf(required));
	}

}
