/**
 * Hand-rolled benchmarks, run with the {@code benchmark} Maven profile.
 */
@NullMarked
package io.eventy.benchmark;

import org.jspecify.annotations.NullMarked;
