/**
 * Tests of the Kafka store auto-configuration.
 */
@NullMarked
package io.eventy.autoconfigure.kafka;

import org.jspecify.annotations.NullMarked;
