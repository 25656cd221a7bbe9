/**
 * HTTP ingest, eventlib's {@code POST /event/log}: clients log events of allow-listed
 * types over HTTP, validated and stored like any payload.
 */
@NullMarked
package io.eventy.autoconfigure.web.ingest;

import org.jspecify.annotations.NullMarked;
