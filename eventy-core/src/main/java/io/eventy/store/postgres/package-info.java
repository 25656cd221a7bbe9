/**
 * The PostgreSQL {@link io.eventy.store.EventStore}: schema, appends with optimistic
 * concurrency, reads.
 */
@NullMarked
package io.eventy.store.postgres;

import org.jspecify.annotations.NullMarked;
