/**
 * Auto-configuration of the tracing bridge and of context propagation to other threads
 * ({@code @Async}, task executors, context-propagation).
 */
@NullMarked
package io.eventy.autoconfigure.tracing;

import org.jspecify.annotations.NullMarked;
