package io.eventy.autoconfigure.web;

import io.eventy.autoconfigure.EventyProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration that makes {@code RestClient}, {@code RestTemplate} and
 * {@code WebClient} instances built from Spring Boot's builders send the current request
 * id and trace id (headers named by {@code eventy.web.request-id-header} and
 * {@code eventy.web.correlation-id-header}).
 */
@AutoConfiguration
@ConditionalOnClass(ClientHttpRequestInterceptor.class)
@EnableConfigurationProperties(EventyProperties.class)
public final class EventyHttpClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EventyContextClientHttpRequestInterceptor eventyContextClientHttpRequestInterceptor(EventyProperties properties) {
		return new EventyContextClientHttpRequestInterceptor(properties.getWeb().getRequestIdHeader(),
				properties.getWeb().getCorrelationIdHeader());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ RestClient.class, RestClientCustomizer.class })
	static class RestClientConfiguration {

		@Bean
		RestClientCustomizer eventyRestClientCustomizer(EventyContextClientHttpRequestInterceptor interceptor) {
			return (builder) -> builder.requestInterceptor(interceptor);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ RestTemplate.class, RestTemplateCustomizer.class })
	static class RestTemplateConfiguration {

		@Bean
		RestTemplateCustomizer eventyRestTemplateCustomizer(EventyContextClientHttpRequestInterceptor interceptor) {
			return (restTemplate) -> restTemplate.getInterceptors().add(interceptor);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebClient.class, WebClientCustomizer.class })
	static class WebClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EventyContextExchangeFilterFunction eventyContextExchangeFilterFunction(EventyProperties properties) {
			return new EventyContextExchangeFilterFunction(properties.getWeb().getRequestIdHeader(),
					properties.getWeb().getCorrelationIdHeader());
		}

		@Bean
		WebClientCustomizer eventyWebClientCustomizer(EventyContextExchangeFilterFunction filter) {
			return (builder) -> builder.defaultRequest(filter::captureContext).filter(filter);
		}

	}

}
