package io.eventy.sample;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The HTTP input's guards besides the controllers' own: the request body limit.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SampleHttpProperties.class)
class SampleHttpConfiguration {

	/**
	 * Runs right after Spring Boot's character encoding filter, before any other filter
	 * could read a body.
	 */
	static final int BODY_LIMIT_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

	@Bean
	FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(SampleHttpProperties properties) {
		FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestBodyLimitFilter(properties.maxBodySize().toBytes()));
		registration.setOrder(BODY_LIMIT_FILTER_ORDER);
		return registration;
	}

}
