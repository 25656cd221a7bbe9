/**
 * Tests of the handler auto-configuration.
 */
@NullMarked
package io.eventy.autoconfigure.handler;

import org.jspecify.annotations.NullMarked;
