/**
 * Logging support: MDC keys, the {@code gke} structured log format and a default console
 * pattern that shows the trace and request ids.
 */
@NullMarked
package io.eventy.autoconfigure.logging;

import org.jspecify.annotations.NullMarked;
