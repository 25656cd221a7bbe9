/**
 * Test support for Eventy applications: {@link io.eventy.test.EventyTest} supplies an
 * embedded PostgreSQL or Kafka broker when none is configured and registers
 * {@link io.eventy.test.EventyTestSupport}; {@link io.eventy.test.EventyAssertions}
 * asserts on stored records and {@link io.eventy.test.AggregateFixture} tests aggregates
 * in memory.
 */
@NullMarked
package io.eventy.test;

import org.jspecify.annotations.NullMarked;
