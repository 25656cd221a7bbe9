/**
 * Tests of the {@code eventy} actuator endpoint and the web console.
 */
@NullMarked
package io.eventy.autoconfigure.management;

import org.jspecify.annotations.NullMarked;
