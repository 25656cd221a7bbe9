package io.eventy.store.postgres;

import java.time.Instant;

/**
 * A segment of a subscription that has not moved for longer than the stall timeout
 * because its worker cannot read records or move its checkpoint.
 *
 * @param subscription the subscription name
 * @param segment the segment, from {@code 0}
 * @param since when its first failure in a row happened
 * @param cause the last failure, an exception class and message
 */
public record SubscriptionStall(String subscription, int segment, Instant since, String cause) {
}
