/**
 * Auto-configuration of aggregates on the PostgreSQL store.
 */
@NullMarked
package io.eventy.autoconfigure.aggregate;

import org.jspecify.annotations.NullMarked;
