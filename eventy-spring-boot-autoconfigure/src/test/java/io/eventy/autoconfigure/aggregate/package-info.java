/**
 * Tests of the aggregates auto-configuration.
 */
@NullMarked
package io.eventy.autoconfigure.aggregate;

import org.jspecify.annotations.NullMarked;
