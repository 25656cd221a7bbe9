package io.eventy.handler;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * Registers {@link EventHandler} discovery; imported by {@link EnableEventHandlers}.
 */
@Configuration(proxyBeanMethods = false)
@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
class EventHandlerConfiguration {

	/** The bean name of the discovery. */
	static final String PROCESSOR_BEAN_NAME = "io.eventy.handler.internalEventHandlerMethodProcessor";

	@Bean(PROCESSOR_BEAN_NAME)
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static EventHandlerMethodProcessor eventHandlerMethodProcessor() {
		return new EventHandlerMethodProcessor();
	}

	@Bean
	HandlerEndpointRegistry eventyHandlerEndpointRegistry() {
		return new HandlerEndpointRegistry();
	}

}
