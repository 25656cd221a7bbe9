package io.eventy.autoconfigure.postgres;

import javax.sql.DataSource;

import io.eventy.autoconfigure.EventyProperties;
import io.eventy.autoconfigure.request.EventyRequestsAutoConfiguration;
import io.eventy.record.RecordFactory;
import io.eventy.request.DefaultRequestClient;
import io.eventy.store.postgres.PostgresEventStore;
import io.eventy.store.postgres.PostgresResponseListener;
import io.eventy.store.postgres.PostgresStoreSettings;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Auto-configuration of the {@link PostgresResponseListener} that hands the
 * {@link DefaultRequestClient} the responses to this instance's requests, looked for in
 * the store's records every {@code eventy.requests.poll-interval} while requests await
 * them.
 */
@AutoConfiguration(after = EventyRequestsAutoConfiguration.class)
@ConditionalOnClass(JdbcTemplate.class)
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBean({ PostgresEventStore.class, PostgresStoreSettings.class, DefaultRequestClient.class })
public final class EventyPostgresRequestsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PostgresResponseListener eventyPostgresResponseListener(DataSource dataSource, PostgresStoreSettings settings,
			RecordFactory recordFactory, DefaultRequestClient client, EventyProperties properties) {
		return new PostgresResponseListener(dataSource, settings, recordFactory.converter(), client,
				properties.getRequests().getPollInterval());
	}

}
