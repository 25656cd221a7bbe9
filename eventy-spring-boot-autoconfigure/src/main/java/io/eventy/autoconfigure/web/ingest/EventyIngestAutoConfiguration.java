package io.eventy.autoconfigure.web.ingest;

import io.eventy.autoconfigure.EventyConfigurationException;
import io.eventy.autoconfigure.EventyProperties;
import io.eventy.record.RecordFactory;
import io.eventy.store.EventStore;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Auto-configuration of HTTP ingest, eventlib's {@code POST /event/log}, in servlet web
 * applications with Spring MVC: {@code POST {eventy.web.ingest.path}/{namespace:name}}
 * with a JSON object, and {@code POST {eventy.web.ingest.path}?__event__=namespace:name}
 * with form or query parameters. Off unless {@code eventy.web.ingest.enabled=true}, and
 * then only for the event types {@code eventy.web.ingest.allowed-names} names, which must
 * not be empty.
 */
@AutoConfiguration(afterName = { "io.eventy.autoconfigure.EventyAutoConfiguration",
		"io.eventy.autoconfigure.postgres.EventyPostgresAutoConfiguration",
		"io.eventy.autoconfigure.kafka.EventyKafkaAutoConfiguration",
		"io.eventy.autoconfigure.web.EventyWebAutoConfiguration" })
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(RouterFunctions.class)
@ConditionalOnProperty(prefix = "eventy.web.ingest", name = "enabled", havingValue = "true")
@ConditionalOnBean({ EventStore.class, RecordFactory.class })
@EnableConfigurationProperties(EventyProperties.class)
public final class EventyIngestAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "eventyIngestRouterFunction")
	RouterFunction<ServerResponse> eventyIngestRouterFunction(EventyProperties properties, EventStore store,
			RecordFactory records) {
		EventyProperties.Ingest ingest = properties.getWeb().getIngest();
		if (ingest.getAllowedNames().isEmpty()) {
			throw new EventyConfigurationException(
					"eventy.web.ingest.enabled is true but eventy.web.ingest.allowed-names is empty: HTTP ingest "
							+ "accepts only the event types it names.",
					"Set eventy.web.ingest.allowed-names to the event types clients may log, exact names such as "
							+ "urn:shop:Clicked or patterns such as urn:shop:*, or set eventy.web.ingest.enabled=false.");
		}
		EventIngestHandler handler = new EventIngestHandler(store, records.registry(), records.converter(),
				new AllowedNames(ingest.getAllowedNames()), ingest.getMaxBodySize().toBytes());
		return RouterFunctions.route()
			.POST(ingest.getPath(), handler::logNamedInParameter)
			.POST(ingest.getPath() + "/{name}", handler::logNamedInPath)
			.build();
	}

}
