/**
 * Tests of the PostgreSQL store auto-configuration.
 */
@NullMarked
package io.eventy.autoconfigure.postgres;

import org.jspecify.annotations.NullMarked;
