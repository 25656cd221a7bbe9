/**
 * Tests of HTTP ingest.
 */
@NullMarked
package io.eventy.autoconfigure.web.ingest;

import org.jspecify.annotations.NullMarked;
