package io.eventy.store.kafka;

import io.eventy.handler.Guarantee;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Skips the records an {@link Guarantee#EXACTLY_ONCE} subscription does not handle
 * ({@link SubscriptionListener#selects}) before the container starts a transaction for
 * them: a record the handler does not select (such as what the subscription itself wrote
 * to the topic it reads) costs no transaction of its own. Its offset is committed with
 * the transaction of the next record handled, or with the offsets of the other skipped
 * records of the poll when no record after it is handled; skipping it again after a crash
 * in between changes nothing.
 * <p>
 * It runs after {@link RecordScopes}, which decoded the record.
 */
final class UnselectedRecordFilter implements RecordInterceptor<String, byte[]> {

	private final SubscriptionListener listener;

	private final RecordScopes scopes;

	UnselectedRecordFilter(SubscriptionListener listener, RecordScopes scopes) {
		this.listener = listener;
		this.scopes = scopes;
	}

	@Override
	public @Nullable ConsumerRecord<String, byte[]> intercept(ConsumerRecord<String, byte[]> record,
			Consumer<String, byte[]> consumer) {
		return this.listener.selects(record, this.scopes.decoded(record)) ? record : null;
	}

}
