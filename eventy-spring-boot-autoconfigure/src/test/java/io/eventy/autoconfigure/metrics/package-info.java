/**
 * Tests of the handler metrics.
 */
@NullMarked
package io.eventy.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
