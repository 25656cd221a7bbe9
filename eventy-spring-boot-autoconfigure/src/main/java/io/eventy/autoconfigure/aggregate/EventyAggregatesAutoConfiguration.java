package io.eventy.autoconfigure.aggregate;

import io.eventy.aggregate.Aggregates;
import io.eventy.aggregate.SnapshotStore;
import io.eventy.autoconfigure.EventyAutoConfiguration;
import io.eventy.autoconfigure.EventyProperties;
import io.eventy.autoconfigure.kafka.EventyKafkaAutoConfiguration;
import io.eventy.autoconfigure.postgres.EventyPostgresAutoConfiguration;
import io.eventy.record.RecordFactory;
import io.eventy.store.EventStore;
import io.eventy.store.UnsupportedStoreOperationException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/**
 * Auto-configuration of {@link Aggregates}: on the PostgreSQL store with snapshots in its
 * {@code <prefix>snapshots} table (the {@link SnapshotStore} of
 * {@link EventyPostgresAutoConfiguration}). The bean is lazy: on the Kafka store, where
 * aggregates cannot work, the application starts as long as nothing uses it, and fails at
 * startup with {@link UnsupportedStoreOperationException} as soon as a bean injects it.
 */
@AutoConfiguration(after = { EventyAutoConfiguration.class, EventyPostgresAutoConfiguration.class,
		EventyKafkaAutoConfiguration.class })
@ConditionalOnSingleCandidate(EventStore.class)
public final class EventyAggregatesAutoConfiguration {

	@Bean
	@Lazy
	@ConditionalOnMissingBean
	Aggregates eventyAggregates(EventStore store, RecordFactory recordFactory, ObjectProvider<SnapshotStore> snapshots,
			EventyProperties properties) {
		return new Aggregates(store, recordFactory, snapshots.getIfAvailable(),
				properties.getAggregates().getMaxAttempts());
	}

}
