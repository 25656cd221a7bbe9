/**
 * The Eventy record protocol: the {@link io.eventy.record.EventyRecord} envelope, record
 * types and their registry, and payload validation.
 */
@NullMarked
package io.eventy.record;

import org.jspecify.annotations.NullMarked;
