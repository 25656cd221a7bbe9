/**
 * The Kafka {@link io.eventy.store.EventStore}: records as Eventy protocol JSON on
 * Qotto-layout topics, store metadata in headers, topic creation, and the consumers that
 * run handlers.
 */
@NullMarked
package io.eventy.store.kafka;

import org.jspecify.annotations.NullMarked;
