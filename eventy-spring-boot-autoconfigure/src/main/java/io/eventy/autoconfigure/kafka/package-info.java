/**
 * Auto-configuration of the Kafka record store, chosen by
 * {@code eventy.store.type=kafka}.
 */
@NullMarked
package io.eventy.autoconfigure.kafka;

import org.jspecify.annotations.NullMarked;
