package io.eventy.autoconfigure.request;

import io.eventy.autoconfigure.EventyAutoConfiguration;
import io.eventy.autoconfigure.EventyProperties;
import io.eventy.record.RecordFactory;
import io.eventy.request.DefaultRequestClient;
import io.eventy.request.RequestClient;
import io.eventy.service.ServiceRegistry;
import io.eventy.store.EventStore;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link RequestClient}: a {@link DefaultRequestClient} that
 * stores requests with the {@link EventStore} ({@code eventy.requests.*}). The listeners
 * that hand it the responses are those of {@code EventyPostgresRequestsAutoConfiguration}
 * and {@code EventyKafkaRequestsAutoConfiguration}.
 */
@AutoConfiguration(after = EventyAutoConfiguration.class,
		afterName = { "io.eventy.autoconfigure.postgres.EventyPostgresAutoConfiguration",
				"io.eventy.autoconfigure.kafka.EventyKafkaAutoConfiguration" })
@ConditionalOnBean({ EventStore.class, RecordFactory.class, ServiceRegistry.class })
public final class EventyRequestsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(RequestClient.class)
	DefaultRequestClient eventyRequestClient(EventStore store, RecordFactory recordFactory, ServiceRegistry services,
			EventyProperties properties) {
		EventyProperties.Requests requests = properties.getRequests();
		return new DefaultRequestClient(store, recordFactory, services, requests.getTimeout(),
				requests.getMaxPending());
	}

}
