/**
 * Micrometer metrics of the handler subscriptions: records handled, handler call
 * durations and subscription lag.
 */
@NullMarked
package io.eventy.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
