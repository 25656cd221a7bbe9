package io.eventy.handler;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.aop.scope.ScopedObject;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Finds {@link EventHandler} methods on the application's beans once every singleton
 * exists and puts the {@link HandlerEndpoint} that {@link HandlerEndpointFactory} builds
 * for each into the {@link HandlerEndpointRegistry}. Works as Spring's
 * {@code EventListenerMethodProcessor} does, including proxies: a handler is called
 * through the bean's proxy, so {@code @Transactional} on it applies.
 */
final class EventHandlerMethodProcessor implements SmartInitializingSingleton, BeanFactoryAware {

	private static final Logger logger = LoggerFactory.getLogger(EventHandlerMethodProcessor.class);

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet(64);

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	private @Nullable HandlerEndpointFactory endpointFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		Assert.isInstanceOf(ConfigurableListableBeanFactory.class, beanFactory,
				"@EventHandler discovery needs a ConfigurableListableBeanFactory");
		this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
		this.endpointFactory = new HandlerEndpointFactory(beanFactory);
	}

	@Override
	public void afterSingletonsInstantiated() {
		ConfigurableListableBeanFactory beanFactory = this.beanFactory;
		HandlerEndpointFactory endpointFactory = this.endpointFactory;
		Assert.state(beanFactory != null && endpointFactory != null, "No bean factory");
		HandlerEndpointRegistry registry = beanFactory.getBean(HandlerEndpointRegistry.class);
		for (String beanName : beanFactory.getBeanNamesForType(Object.class)) {
			if (ScopedProxyUtils.isScopedTarget(beanName)) {
				continue;
			}
			Class<?> type = targetClass(beanFactory, beanName);
			if (type != null) {
				processBean(beanFactory, endpointFactory, registry, beanName, type);
			}
		}
	}

	private @Nullable Class<?> targetClass(ConfigurableListableBeanFactory beanFactory, String beanName) {
		Class<?> type;
		try {
			type = AutoProxyUtils.determineTargetClass(beanFactory, beanName);
		}
		catch (Throwable ex) {
			logger.debug("Could not resolve the type of bean '{}'", beanName, ex);
			return null;
		}
		if (type != null && ScopedObject.class.isAssignableFrom(type)) {
			try {
				Class<?> targetType = AutoProxyUtils.determineTargetClass(beanFactory,
						ScopedProxyUtils.getTargetBeanName(beanName));
				if (targetType != null) {
					type = targetType;
				}
			}
			catch (Throwable ex) {
				logger.debug("Could not resolve the target type of scoped bean '{}'", beanName, ex);
			}
		}
		return type;
	}

	private void processBean(ConfigurableListableBeanFactory beanFactory, HandlerEndpointFactory endpointFactory,
			HandlerEndpointRegistry registry, String beanName, Class<?> targetType) {
		if (this.nonAnnotatedClasses.contains(targetType)
				|| !AnnotationUtils.isCandidateClass(targetType, EventHandler.class)
				|| isSpringContainerClass(targetType)) {
			return;
		}
		Map<Method, EventHandler> methods = MethodIntrospector.selectMethods(targetType,
				(MethodIntrospector.MetadataLookup<EventHandler>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, EventHandler.class));
		if (methods.isEmpty()) {
			this.nonAnnotatedClasses.add(targetType);
			return;
		}
		Class<?> beanType = beanFactory.getType(beanName);
		Supplier<Object> bean = beanFactory.isSingleton(beanName)
				? SingletonSupplier.of(() -> beanFactory.getBean(beanName)) : () -> beanFactory.getBean(beanName);
		methods.forEach((method, annotation) -> {
			Method invocable = AopUtils.selectInvocableMethod(method, (beanType != null) ? beanType : targetType);
			HandlerEndpoint endpoint = endpointFactory.createEndpoint(beanName, bean, method, invocable, annotation);
			registry.register(endpoint);
			logger.debug("Found {}", endpoint);
		});
	}

	private static boolean isSpringContainerClass(Class<?> type) {
		return type.getName().startsWith("org.springframework.")
				&& !AnnotatedElementUtils.isAnnotated(ClassUtils.getUserClass(type), Component.class);
	}

}
