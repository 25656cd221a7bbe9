/**
 * The README's "Testing your application" example: a small application and its test on
 * {@code @EventyTest}, which connects it to the embedded PostgreSQL of eventy-test.
 */
@NullMarked
package io.eventy.readme.testing;

import org.jspecify.annotations.NullMarked;
