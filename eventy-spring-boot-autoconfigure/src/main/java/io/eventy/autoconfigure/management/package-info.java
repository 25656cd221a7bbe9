/**
 * The {@code eventy} actuator endpoint and the web console that reads it: subscriptions,
 * their dead letters, and the operations on them.
 */
@NullMarked
package io.eventy.autoconfigure.management;

import org.jspecify.annotations.NullMarked;
