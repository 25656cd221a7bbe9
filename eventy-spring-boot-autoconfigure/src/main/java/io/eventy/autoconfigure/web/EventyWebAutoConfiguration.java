package io.eventy.autoconfigure.web;

import io.eventy.autoconfigure.EventyProperties;
import io.eventy.autoconfigure.tracing.EventyTracingAutoConfiguration;
import io.eventy.context.TracingBridge;
import jakarta.servlet.DispatcherType;
import org.apache.catalina.startup.Tomcat;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingFilterBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Auto-configuration of the {@link EventyRequestContextFilter} in servlet web
 * applications, registered with the order {@code eventy.web.filter-order}: after Spring
 * Boot's observation filter (so the request's span is current), before Spring Security.
 */
@AutoConfiguration(after = EventyTracingAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(OncePerRequestFilter.class)
@ConditionalOnProperty(prefix = "eventy.web", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(EventyProperties.class)
public final class EventyWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingFilterBean(EventyRequestContextFilter.class)
	FilterRegistrationBean<EventyRequestContextFilter> eventyRequestContextFilter(EventyProperties properties,
			ObjectProvider<TracingBridge> tracing) {
		EventyProperties.Web web = properties.getWeb();
		EventyRequestContextFilter filter = new EventyRequestContextFilter(web.getRequestIdHeader(),
				web.getCorrelationIdHeader(), tracing.getIfAvailable(TracingBridge::noop));
		FilterRegistrationBean<EventyRequestContextFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setName("eventyRequestContextFilter");
		registration.setOrder(web.getFilterOrder());
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
		return registration;
	}

	/**
	 * On Tomcat, the request's ids also on the line Tomcat logs about an uncaught
	 * exception, after every filter has returned.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Tomcat.class, TomcatContextCustomizer.class })
	static class TomcatConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "eventyContextValveCustomizer")
		TomcatContextCustomizer eventyContextValveCustomizer() {
			return (context) -> context.getPipeline().addValve(new EventyContextValve());
		}

		@Bean
		@ConditionalOnMissingBean(name = "eventyFailedRequestContextFilter")
		FilterRegistrationBean<FailedRequestContextFilter> eventyFailedRequestContextFilter() {
			FilterRegistrationBean<FailedRequestContextFilter> registration = new FilterRegistrationBean<>(
					new FailedRequestContextFilter());
			registration.setName("eventyFailedRequestContextFilter");
			// outside every other filter, a tracer's among them
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
			return registration;
		}

	}

}
