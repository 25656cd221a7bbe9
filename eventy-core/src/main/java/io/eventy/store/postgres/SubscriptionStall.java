package io.eventy.store.postgres;

import java.time.Instant;

/**
 * A segment of a subscription that has not moved for longer than the stall timeout
 * because its worker cannot read records or move its checkpoint, or because a database
 * call of its worker has not returned for that long (a network that stopped passing
 * bytes, to a connection without a socket timeout).
 *
 * @param subscription the subscription name
 * @param segment the segment, from {@code 0}
 * @param since when its first failure in a row happened, or the call that has not
 * returned began
 * @param cause the last failure, an exception class and message, or the call that has not
 * returned
 */
public record SubscriptionStall(String subscription, int segment, Instant since, String cause) {
}
