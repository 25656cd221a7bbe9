package io.eventy.handler;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.eventy.context.TracingBridge;
import io.eventy.record.EventyRecord;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordTypeDescriptor;
import io.eventy.store.EventStore;
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
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Finds {@link EventHandler} methods on the application's beans once every singleton
 * exists, checks their signatures, registers their payload types, and puts one
 * {@link HandlerEndpoint} per method into the {@link HandlerEndpointRegistry}. Works as
 * Spring's {@code EventListenerMethodProcessor} does, including proxies.
 */
final class EventHandlerMethodProcessor implements SmartInitializingSingleton, BeanFactoryAware {

	/** The longest subscription name. */
	static final int MAX_SUBSCRIPTION_LENGTH = 200;

	/** The longest Kafka topic name. */
	private static final int MAX_TOPIC_LENGTH = 249;

	private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._-]+");

	private static final Logger logger = LoggerFactory.getLogger(EventHandlerMethodProcessor.class);

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet(64);

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	private @Nullable Collaborators collaborators;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		Assert.isInstanceOf(ConfigurableListableBeanFactory.class, beanFactory,
				"@EventHandler discovery needs a ConfigurableListableBeanFactory");
		this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		ConfigurableListableBeanFactory beanFactory = this.beanFactory;
		Assert.state(beanFactory != null, "No bean factory");
		HandlerEndpointRegistry registry = beanFactory.getBean(HandlerEndpointRegistry.class);
		for (String beanName : beanFactory.getBeanNamesForType(Object.class)) {
			if (ScopedProxyUtils.isScopedTarget(beanName)) {
				continue;
			}
			Class<?> type = targetClass(beanFactory, beanName);
			if (type != null) {
				processBean(beanFactory, registry, beanName, type);
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

	private void processBean(ConfigurableListableBeanFactory beanFactory, HandlerEndpointRegistry registry,
			String beanName, Class<?> targetType) {
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
			HandlerEndpoint endpoint = createEndpoint(beanFactory, beanName, bean, method, invocable, annotation);
			registry.register(endpoint);
			logger.debug("Found {}", endpoint);
		});
	}

	private HandlerEndpoint createEndpoint(ConfigurableListableBeanFactory beanFactory, String beanName,
			Supplier<Object> bean, Method method, Method invocable, EventHandler annotation) {
		HandlerSignature signature = HandlerSignature.of(method);
		Collaborators collaborators = collaborators(beanFactory, method);
		Class<?> payloadType = signature.payloadType();
		RecordTypeDescriptor payloadDescriptor = (payloadType != null) ? register(collaborators, method, payloadType)
				: null;
		RecordSelector selector;
		if (!annotation.name().isEmpty()) {
			selector = RecordSelector.of(compile(method, annotation.name()));
		}
		else if (payloadDescriptor != null) {
			selector = RecordSelector.of(payloadDescriptor);
		}
		else {
			throw HandlerSignature.invalid(method,
					"it has neither a payload parameter nor a name pattern, so it would select no record. "
							+ "Add the payload type as a parameter, or set @EventHandler(name = \"urn:ns:Name\")");
		}
		String subscription = annotation.subscription().isEmpty() ? beanName + "." + method.getName()
				: annotation.subscription();
		checkSubscription(method, subscription);
		List<String> topics = topics(method, annotation.topics());
		String description = HandlerSignature.describe(method);
		return new HandlerEndpoint(subscription, annotation.guarantee(), selector,
				new HandlerMethod(bean, invocable, description), signature,
				new ResultEmitter(collaborators.store(), collaborators.factory(), collaborators.validator()),
				collaborators.tracing(), responseType(collaborators, method), topics);
	}

	private static RecordTypeDescriptor register(Collaborators collaborators, Method method, Class<?> type) {
		try {
			return collaborators.factory().registry().register(type);
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			throw HandlerSignature.invalid(method, ex.getMessage());
		}
	}

	private static @Nullable RecordTypeDescriptor responseType(Collaborators collaborators, Method method) {
		ResolvableType returnType = ResolvableType.forMethodReturnType(method);
		Class<?> type = returnType.resolve();
		if (type != null && Collection.class.isAssignableFrom(type)) {
			type = returnType.asCollection().resolveGeneric(0);
		}
		if (type == null || type == Object.class || type == Void.class || type == void.class
				|| type == EventyRecord.class || type.isInterface() || type.getName().startsWith("java.")) {
			return null;
		}
		return register(collaborators, method, type);
	}

	private static Pattern compile(Method method, String regex) {
		try {
			return Pattern.compile(regex);
		}
		catch (PatternSyntaxException ex) {
			throw HandlerSignature.invalid(method,
					"its name pattern '" + regex + "' is not a regular expression (" + ex.getDescription()
							+ "); it is matched against " + "'namespace:name', such as 'urn:shop:Order(Placed|Paid)'");
		}
	}

	private static void checkSubscription(Method method, String subscription) {
		if (subscription.isBlank() || subscription.length() > MAX_SUBSCRIPTION_LENGTH
				|| !subscription.strip().equals(subscription)
				|| subscription.chars().anyMatch(Character::isISOControl)) {
			throw HandlerSignature.invalid(method,
					"its subscription name '" + subscription + "' must have 1 to " + MAX_SUBSCRIPTION_LENGTH
							+ " characters, no control characters and no surrounding spaces; "
							+ "set @EventHandler(subscription = ...)");
		}
	}

	private static List<String> topics(Method method, String[] topics) {
		for (String topic : topics) {
			if (topic.length() > MAX_TOPIC_LENGTH || !TOPIC_NAME.matcher(topic).matches() || topic.equals(".")
					|| topic.equals("..")) {
				throw HandlerSignature.invalid(method, "its topic '" + topic + "' is not a Kafka topic name (1 to "
						+ MAX_TOPIC_LENGTH + " characters of [A-Za-z0-9._-]); fix @EventHandler(topics = ...)");
			}
		}
		return List.copyOf(new LinkedHashSet<>(Arrays.asList(topics)));
	}

	private Collaborators collaborators(ConfigurableListableBeanFactory beanFactory, Method method) {
		Collaborators collaborators = this.collaborators;
		if (collaborators == null) {
			RecordFactory factory = beanFactory.getBeanProvider(RecordFactory.class).getIfUnique();
			EventStore store = beanFactory.getBeanProvider(EventStore.class).getIfUnique();
			if (factory == null || store == null) {
				throw new IllegalStateException("@EventHandler method " + HandlerSignature.describe(method)
						+ " needs exactly one RecordFactory bean and one EventStore bean; found "
						+ ((factory != null) ? "a" : "no") + " RecordFactory and " + ((store != null) ? "an" : "no")
						+ " EventStore. The Eventy Spring Boot starter " + "defines both; without it, declare them");
			}
			PayloadValidator validator = beanFactory.getBeanProvider(PayloadValidator.class)
				.getIfUnique(PayloadValidator::none);
			TracingBridge tracing = beanFactory.getBeanProvider(TracingBridge.class).getIfUnique(TracingBridge::noop);
			collaborators = new Collaborators(factory, store, validator, tracing);
			this.collaborators = collaborators;
		}
		return collaborators;
	}

	private static boolean isSpringContainerClass(Class<?> type) {
		return type.getName().startsWith("org.springframework.")
				&& !AnnotatedElementUtils.isAnnotated(ClassUtils.getUserClass(type), Component.class);
	}

	private record Collaborators(RecordFactory factory, EventStore store, PayloadValidator validator,
			TracingBridge tracing) {
	}

}
