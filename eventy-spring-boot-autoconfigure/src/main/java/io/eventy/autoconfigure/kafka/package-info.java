/**
 * Auto-configuration of the Kafka record store, chosen by
 * {@code eventy.store.type=kafka}, of {@code @EventHandler} subscriptions on it, and of
 * its actuator health indicator.
 */
@NullMarked
package io.eventy.autoconfigure.kafka;

import org.jspecify.annotations.NullMarked;
