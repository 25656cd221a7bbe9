/**
 * A small order service on Eventy: orders are streams of records in PostgreSQL.
 */
@NullMarked
package io.eventy.sample;

import org.jspecify.annotations.NullMarked;
