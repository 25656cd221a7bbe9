/**
 * A small Eventy application the tests of eventy-test run.
 */
@NullMarked
package io.eventy.test.app;

import org.jspecify.annotations.NullMarked;
