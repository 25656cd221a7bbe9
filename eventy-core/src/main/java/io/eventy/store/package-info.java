/**
 * The {@link io.eventy.store.EventStore} API shared by the PostgreSQL and Kafka stores:
 * streams, expected versions, stored records and the store's exceptions.
 */
@NullMarked
package io.eventy.store;

import org.jspecify.annotations.NullMarked;
