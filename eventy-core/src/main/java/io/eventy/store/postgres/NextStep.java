package io.eventy.store.postgres;

import java.time.Duration;

import io.eventy.store.postgres.SubscriptionRecordReader.Batch;

/**
 * What a {@link SubscriptionWorker} does after one step.
 *
 * @param kind what to do
 * @param delay how long to wait before the next step, for a backoff
 */
record NextStep(Kind kind, Duration delay) {

	static final NextStep CONTINUE = new NextStep(Kind.CONTINUE, Duration.ZERO);

	static final NextStep AT_HEAD = new NextStep(Kind.AT_HEAD, Duration.ZERO);

	static final NextStep LOST = new NextStep(Kind.LOST, Duration.ZERO);

	static NextStep backoff(Duration delay) {
		return new NextStep(Kind.BACKOFF, delay);
	}

	/**
	 * Return what follows a batch that was done with to its end.
	 * @param batch the batch
	 * @return {@link #CONTINUE} when more records may follow, else {@link #AT_HEAD}
	 */
	static NextStep afterBatch(Batch batch) {
		return batch.full() ? CONTINUE : AT_HEAD;
	}

	/**
	 * Return whether the worker waits for a notification or the poll interval.
	 * @return {@code true} for {@link Kind#AT_HEAD}
	 */
	boolean idle() {
		return this.kind == Kind.AT_HEAD;
	}

	enum Kind {

		/** Read on at once. */
		CONTINUE,

		/**
		 * Everything readable is done: announce catching up the first time, then wait for
		 * a notification or the poll interval.
		 */
		AT_HEAD,

		/** Wait for the delay, whatever the notifications. */
		BACKOFF,

		/** Another instance owns the segment now: stop working on it. */
		LOST

	}

}
