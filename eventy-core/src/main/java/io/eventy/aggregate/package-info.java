/**
 * Aggregates on the PostgreSQL store: an {@link io.eventy.aggregate.AggregateType}
 * describes how a user object starts, applies a payload and collects new ones;
 * {@link io.eventy.aggregate.Aggregates} loads it from its stream (from a snapshot when
 * there is one), appends what a command decided with the version it was loaded at, and
 * retries a command that lost a race.
 */
@NullMarked
package io.eventy.aggregate;

import org.jspecify.annotations.NullMarked;
