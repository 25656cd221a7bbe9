package io.eventy.test;

import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.eventy.autoconfigure.handler.EventyHandlersAutoConfiguration;
import io.eventy.autoconfigure.kafka.EventyKafkaAutoConfiguration;
import io.eventy.autoconfigure.kafka.EventyKafkaHandlersAutoConfiguration;
import io.eventy.autoconfigure.postgres.EventyPostgresAutoConfiguration;
import io.eventy.record.RecordFactory;
import io.eventy.serializer.RecordSerializer;
import io.eventy.store.kafka.KafkaEventStore;
import io.eventy.store.kafka.KafkaSubscriptions;
import io.eventy.store.postgres.PostgresEventStore;
import io.eventy.store.postgres.PostgresStoreSettings;
import io.eventy.store.postgres.PostgresSubscriptions;
import org.apache.kafka.clients.CommonClientConfigs;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Registers {@link EventyTestSupport} for the application's store. Imported by
 * {@link EventyTest}.
 */
@AutoConfiguration(after = { EventyPostgresAutoConfiguration.class, EventyHandlersAutoConfiguration.class,
		EventyKafkaAutoConfiguration.class, EventyKafkaHandlersAutoConfiguration.class })
public final class EventyTestSupportAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JdbcTemplate.class)
	@ConditionalOnBean({ PostgresEventStore.class, PostgresStoreSettings.class })
	static class PostgresTestSupportConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EventyTestSupport eventyTestSupport(DataSource dataSource, PostgresStoreSettings settings,
				PostgresEventStore store, ObjectProvider<PostgresSubscriptions> subscriptions) {
			return new EventyTestSupport(
					new PostgresStoreProbe(dataSource, settings, store, subscriptions.getIfUnique()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ KafkaAdmin.class, KafkaConnectionDetails.class })
	@ConditionalOnBean(KafkaEventStore.class)
	static class KafkaTestSupportConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EventyTestSupport eventyTestSupport(KafkaEventStore store, ObjectProvider<KafkaSubscriptions> subscriptions,
				ObjectProvider<KafkaAdmin> kafkaAdmin, KafkaConnectionDetails connectionDetails,
				RecordSerializer serializer, RecordFactory recordFactory) {
			KafkaAdmin admin = kafkaAdmin.getIfUnique();
			Map<String, Object> properties = new HashMap<>((admin != null) ? admin.getConfigurationProperties()
					: Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, connectionDetails.getBootstrapServers()));
			return new EventyTestSupport(new KafkaStoreProbe(properties, store, subscriptions.getIfUnique(), serializer,
					recordFactory.converter()));
		}

	}

}
