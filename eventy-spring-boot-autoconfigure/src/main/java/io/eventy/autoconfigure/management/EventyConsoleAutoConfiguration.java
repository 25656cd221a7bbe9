package io.eventy.autoconfigure.management;

import io.eventy.autoconfigure.EventyProperties;
import jakarta.servlet.http.HttpServlet;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of Eventy's web console in servlet web applications with the
 * actuator, when {@code eventy.console.enabled=true}: a page at
 * {@code eventy.console.path} (default {@code /eventy}) that reads the {@code eventy}
 * actuator endpoint.
 */
@AutoConfiguration(after = EventyManagementAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ HttpServlet.class, ServletRegistrationBean.class, PathMappedEndpoints.class,
		ManagementPortType.class })
@ConditionalOnProperty(name = "eventy.console.enabled", havingValue = "true")
@EnableConfigurationProperties(EventyProperties.class)
public final class EventyConsoleAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "eventyConsoleServlet")
	ServletRegistrationBean<EventyConsoleServlet> eventyConsoleServlet(EventyProperties properties,
			ObjectProvider<PathMappedEndpoints> endpoints, Environment environment) {
		String path = properties.getConsole().getPath();
		// the page reaches the endpoint only on the port it was served from
		boolean samePort = ManagementPortType.get(environment) != ManagementPortType.DIFFERENT;
		ServletRegistrationBean<EventyConsoleServlet> registration = new ServletRegistrationBean<>(
				new EventyConsoleServlet(path, () -> samePort ? endpoints.getIfAvailable() : null), path, path + "/*");
		registration.setName("eventyConsoleServlet");
		return registration;
	}

}
