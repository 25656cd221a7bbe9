/**
 * The PostgreSQL {@link io.eventy.store.EventStore}: schema, appends with optimistic
 * concurrency, reads; and the subscriptions that deliver its records to handlers:
 * gap-safe reading, checkpoints, retries and dead letters.
 */
@NullMarked
package io.eventy.store.postgres;

import org.jspecify.annotations.NullMarked;
