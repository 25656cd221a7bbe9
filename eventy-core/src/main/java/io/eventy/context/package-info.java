/**
 * Trace and request ids: the current {@link io.eventy.context.EventyContext}, scopes that
 * restore what was there before, id generation and validation, and the MDC bridge.
 */
@NullMarked
package io.eventy.context;

import org.jspecify.annotations.NullMarked;
