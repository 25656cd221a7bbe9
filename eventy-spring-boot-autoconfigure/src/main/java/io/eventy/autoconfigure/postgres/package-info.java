/**
 * Auto-configuration of the PostgreSQL {@link io.eventy.store.EventStore}.
 */
@NullMarked
package io.eventy.autoconfigure.postgres;

import org.jspecify.annotations.NullMarked;
