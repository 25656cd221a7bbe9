/**
 * Record types found by scanning in auto-configuration tests.
 */
@NullMarked
package io.eventy.autoconfigure.scan;

import org.jspecify.annotations.NullMarked;
