package io.eventy.handler;

import java.time.Instant;
import java.util.Objects;

/**
 * Where {@link Subscriptions#reset(String, ResetTo)} moves a subscription: the records it
 * handles next are those after this point.
 */
public sealed interface ResetTo {

	/**
	 * Reset to the beginning: the subscription handles every stored record again.
	 * @return the earliest point
	 */
	static ResetTo earliest() {
		return Earliest.INSTANCE;
	}

	/**
	 * Reset to the end: the subscription skips every record stored so far.
	 * @return the latest point
	 */
	static ResetTo latest() {
		return Latest.INSTANCE;
	}

	/**
	 * Reset to a position: on PostgreSQL the subscription handles the records after this
	 * global position; on Kafka it goes on from this offset in every partition.
	 * @param position a position, not negative
	 * @return that point
	 */
	static ResetTo position(long position) {
		return new Position(position);
	}

	/**
	 * Reset to a time: the subscription handles the records stored at or after it.
	 * @param time the time
	 * @return that point
	 */
	static ResetTo time(Instant time) {
		return new Time(time);
	}

	/** The beginning of the store. */
	enum Earliest implements ResetTo {

		/** The only instance. */
		INSTANCE

	}

	/** The end of the store. */
	enum Latest implements ResetTo {

		/** The only instance. */
		INSTANCE

	}

	/**
	 * A position.
	 *
	 * @param position the position, not negative
	 */
	record Position(long position) implements ResetTo {

		/** Check the position. */
		public Position {
			if (position < 0) {
				throw new IllegalArgumentException("A reset position must not be negative, got " + position);
			}
		}

	}

	/**
	 * A time.
	 *
	 * @param time the time
	 */
	record Time(Instant time) implements ResetTo {

		/** Check the time. */
		public Time {
			Objects.requireNonNull(time, "time");
		}

	}

}
