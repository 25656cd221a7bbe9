package io.eventy.autoconfigure.logging;

import io.eventy.autoconfigure.EventyProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration that publishes trace and request ids under the MDC keys
 * {@code eventy.mdc.trace-id-key} and {@code eventy.mdc.request-id-key}.
 */
@AutoConfiguration
@EnableConfigurationProperties(EventyProperties.class)
public final class EventyLoggingAutoConfiguration {

	@Bean
	EventyMdcKeys eventyMdcKeys(EventyProperties properties) {
		return new EventyMdcKeys(properties.getMdc().getTraceIdKey(), properties.getMdc().getRequestIdKey());
	}

}
