/**
 * Tests of Eventy's auto-configuration.
 */
@NullMarked
package io.eventy.autoconfigure;

import org.jspecify.annotations.NullMarked;
