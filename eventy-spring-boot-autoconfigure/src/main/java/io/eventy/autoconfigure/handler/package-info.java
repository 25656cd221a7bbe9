/**
 * Auto-configuration of {@code @EventHandler} discovery and of durable subscriptions on
 * the PostgreSQL store, with an actuator health indicator of their lag.
 */
@NullMarked
package io.eventy.autoconfigure.handler;

import org.jspecify.annotations.NullMarked;
