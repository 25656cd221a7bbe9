package io.eventy.handler;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import io.eventy.store.StoredRecord;
import org.jspecify.annotations.Nullable;

/**
 * A record a subscription gave up on after its retries, and why.
 * <p>
 * Every dead letter is listed, also one whose stored record cannot be read (data written
 * by another tool or an older version, a Kafka value that is not an Eventy record): then
 * {@link #record()} is {@code null}, {@link #unreadable()} says why, and {@link #json()}
 * still shows what is stored. Such a dead letter can be re-driven like any other; it
 * fails again until what is stored can be read.
 *
 * @param subscription the subscription that gave up
 * @param id identifies the dead letter among its subscription's: on PostgreSQL the
 * record's position, on Kafka the dead-letter copy's {@code <topic>-<partition>@<offset>}
 * @param uuid the record's uuid, or {@code null} when what is stored does not have one
 * that can be read
 * @param qualifiedName the record's {@code namespace:name}, or {@code null} when what is
 * stored does not have one that can be read
 * @param record the record, or {@code null} when it cannot be read
 * @param unreadable why the record cannot be read, or {@code null} when it can
 * @param json the record as stored, never decoded: on PostgreSQL the Eventy protocol JSON
 * of its row, with {@code context} and {@code data} as they are stored; on Kafka the
 * value as written, as UTF-8 text, which need not be JSON at all; empty when nothing is
 * stored
 * @param attempts how many times the handler was called with it
 * @param lastError the last failure, an exception class and message
 * @param deadAt when the subscription gave up
 */
public record DeadLetter(String subscription, String id, @Nullable UUID uuid, @Nullable String qualifiedName,
		@Nullable StoredRecord record, @Nullable String unreadable, String json, int attempts, String lastError,
		Instant deadAt) {

	/**
	 * Create a dead letter; called by stores. With a record, a {@code null} uuid or
	 * qualified name is taken from it.
	 */
	public DeadLetter {
		Objects.requireNonNull(subscription, "subscription");
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(json, "json");
		Objects.requireNonNull(lastError, "lastError");
		Objects.requireNonNull(deadAt, "deadAt");
		if ((record == null) == (unreadable == null)) {
			throw new IllegalArgumentException("Dead letter " + id + " of subscription '" + subscription
					+ "' needs either its record or why it cannot be read");
		}
		if (record != null) {
			uuid = (uuid != null) ? uuid : record.record().uuid();
			qualifiedName = (qualifiedName != null) ? qualifiedName : record.record().qualifiedName();
			if (!uuid.equals(record.record().uuid()) || !qualifiedName.equals(record.record().qualifiedName())) {
				throw new IllegalArgumentException("Dead letter " + id + " of subscription '" + subscription
						+ "' names record " + qualifiedName + " " + uuid + " but holds "
						+ record.record().qualifiedName() + " " + record.record().uuid());
			}
		}
	}

	/**
	 * Return whether the record can be read, so that {@link #record()} holds it.
	 * @return {@code true} unless {@link #unreadable()} says why not
	 */
	public boolean readable() {
		return this.record != null;
	}

}
