package io.eventy.store.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Tells when a subscription first reached the end offsets its partitions had when they
 * were first assigned: after each record handled successfully, and when the consumer is
 * idle (the position then also counts dead-lettered records and transaction markers,
 * which are never delivered as records). Runs on the consumer thread; calls
 * {@code onFirstAssignment} when the consumer first got its partitions and
 * {@code onCaughtUp} once.
 */
final class CaughtUpTracker implements ConsumerAwareRebalanceListener, RecordInterceptor<String, byte[]> {

	private final Runnable onCaughtUp;

	private final SubscriptionListener listener;

	private final java.util.function.Consumer<Consumer<?, ?>> onFirstAssignment;

	private final Map<TopicPartition, Long> targets = new HashMap<>();

	private final AtomicBoolean done = new AtomicBoolean();

	private boolean assigned;

	CaughtUpTracker(SubscriptionListener listener, Runnable onCaughtUp,
			java.util.function.Consumer<Consumer<?, ?>> onFirstAssignment) {
		this.listener = listener;
		this.onCaughtUp = onCaughtUp;
		this.onFirstAssignment = onFirstAssignment;
	}

	@Override
	public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		if (!this.assigned) {
			this.assigned = true;
			this.targets.putAll(consumer.endOffsets(partitions));
			this.onFirstAssignment.accept(consumer);
		}
		checkPositions(consumer);
	}

	@Override
	public void onPartitionsRevokedAfterCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		partitions.forEach(this.listener::forget);
		if (!this.done.get()) {
			partitions.forEach(this.targets::remove);
		}
	}

	@Override
	public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		onPartitionsRevokedAfterCommit(consumer, partitions);
	}

	@Override
	public @Nullable ConsumerRecord<String, byte[]> intercept(ConsumerRecord<String, byte[]> record,
			Consumer<String, byte[]> consumer) {
		return record;
	}

	@Override
	public void success(ConsumerRecord<String, byte[]> record, Consumer<String, byte[]> consumer) {
		if (this.done.get()) {
			return;
		}
		TopicPartition partition = new TopicPartition(record.topic(), record.partition());
		Long target = this.targets.get(partition);
		if (target != null && record.offset() + 1 >= target) {
			this.targets.remove(partition);
		}
	}

	/**
	 * Check whether the subscription caught up once the container is done with a record:
	 * after its transaction committed, and outside the record's {@link RecordScopes
	 * scope}, so that listeners of the event do not run in the record's context.
	 */
	@Override
	public void afterRecord(ConsumerRecord<String, byte[]> record, Consumer<String, byte[]> consumer) {
		this.listener.activity().measure(consumer);
		checkDone();
	}

	/**
	 * Check positions when the consumer has handled everything it fetched.
	 * @param consumer the consumer, on its thread
	 */
	void idle(Consumer<?, ?> consumer) {
		this.listener.activity().measure(consumer);
		checkPositions(consumer);
	}

	private void checkPositions(Consumer<?, ?> consumer) {
		if (this.done.get() || !this.assigned) {
			return;
		}
		this.targets.entrySet()
			.removeIf((target) -> consumer.assignment().contains(target.getKey())
					&& consumer.position(target.getKey()) >= target.getValue());
		checkDone();
	}

	private void checkDone() {
		if (this.assigned && this.targets.isEmpty() && this.done.compareAndSet(false, true)) {
			this.onCaughtUp.run();
		}
	}

}
