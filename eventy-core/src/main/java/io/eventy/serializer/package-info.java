/**
 * Turning records into bytes and back: the {@link io.eventy.serializer.RecordSerializer}
 * SPI and the default Eventy 3.x JSON implementation.
 */
@NullMarked
package io.eventy.serializer;

import org.jspecify.annotations.NullMarked;
