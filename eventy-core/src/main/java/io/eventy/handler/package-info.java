/**
 * Handlers: {@link io.eventy.handler.EventHandler} methods, their discovery and dispatch,
 * delivery guarantees, retries and dead letters.
 */
@NullMarked
package io.eventy.handler;

import org.jspecify.annotations.NullMarked;
