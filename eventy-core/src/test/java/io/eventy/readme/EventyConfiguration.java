package io.eventy.readme;

import java.util.List;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.handler.EnableEventHandlers;
import io.eventy.handler.HandlerEndpointRegistry;
import io.eventy.handler.SubscriptionOptions;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.record.RecordTypeScanner;
import io.eventy.store.postgres.PostgresEventStore;
import io.eventy.store.postgres.PostgresSchemaInitializer;
import io.eventy.store.postgres.PostgresStoreSettings;
import io.eventy.store.postgres.PostgresSubscriptions;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

@Configuration(proxyBeanMethods = false)
@EnableEventHandlers
class EventyConfiguration {

	@Bean
	RecordFactory recordFactory() {
		RecordTypeRegistry registry = new RecordTypeRegistry("urn:shop");
		RecordTypeScanner.scan(List.of("com.example.orders"), null).forEach(registry::register);
		return new RecordFactory(registry, new JacksonPayloadConverter(new ObjectMapper()), PayloadValidator.none(),
				"urn:orders");
	}

	@Bean(initMethod = "initialize")
	PostgresSchemaInitializer eventySchema(DataSource dataSource) {
		return new PostgresSchemaInitializer(dataSource, PostgresStoreSettings.defaults());
	}

	@Bean
	PostgresEventStore eventStore(DataSource dataSource, RecordFactory recordFactory,
			PostgresSchemaInitializer schema) {
		return new PostgresEventStore(dataSource, PostgresStoreSettings.defaults(), recordFactory);
	}

	@Bean
	PostgresSubscriptions eventySubscriptions(DataSource dataSource, HandlerEndpointRegistry handlers,
			RecordFactory recordFactory, PlatformTransactionManager transactionManager,
			ApplicationEventPublisher events, PostgresSchemaInitializer schema) {
		return new PostgresSubscriptions(dataSource, PostgresStoreSettings.defaults(), handlers,
				recordFactory.converter(), SubscriptionOptions.defaults(), transactionManager, events);
	}

}
