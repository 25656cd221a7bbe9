package io.eventy.handler;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.eventy.context.TracingBridge;
import io.eventy.record.EventyRecord;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordTypeDescriptor;
import io.eventy.service.ServiceRegistry;
import io.eventy.store.EventStore;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.ResolvableType;

/**
 * Builds the {@link HandlerEndpoint} of one {@link EventHandler} method that
 * {@link EventHandlerMethodProcessor} found: checks its signature and annotation
 * attributes, registers its payload and response types, and gives it the beans its calls
 * need. As Spring's {@code EventListenerFactory} builds an {@code ApplicationListener}
 * for each {@code @EventListener} method.
 * <p>
 * The beans (a {@link RecordFactory} and an {@link EventStore}, a
 * {@link PayloadValidator} and a {@link TracingBridge} if there are) are looked up with
 * the first handler, so that an application without handlers needs none of them.
 */
final class HandlerEndpointFactory {

	/** The longest subscription name. */
	static final int MAX_SUBSCRIPTION_LENGTH = 200;

	/** The longest Kafka topic name. */
	private static final int MAX_TOPIC_LENGTH = 249;

	private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._-]+");

	private final BeanFactory beanFactory;

	private @Nullable Collaborators collaborators;

	/**
	 * Create a factory.
	 * @param beanFactory where the beans the handlers need are
	 */
	HandlerEndpointFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	/**
	 * Build the endpoint of a handler method.
	 * @param beanName the name of the bean that declares the method
	 * @param bean the bean, looked up when a record is handled
	 * @param method the annotated method
	 * @param invocable the method to call on the bean, through its proxy if any
	 * @param annotation the method's annotation
	 * @return the endpoint
	 * @throws IllegalStateException naming the method and the fix, if it cannot be a
	 * handler
	 */
	HandlerEndpoint createEndpoint(String beanName, Supplier<Object> bean, Method method, Method invocable,
			EventHandler annotation) {
		HandlerSignature signature = HandlerSignature.of(method);
		Collaborators collaborators = collaborators(method);
		Class<?> payloadType = signature.payloadType();
		RecordTypeDescriptor payloadDescriptor = (payloadType != null) ? register(collaborators, method, payloadType)
				: null;
		RecordSelector selector;
		if (!annotation.name().isEmpty()) {
			selector = RecordSelector.of(compile(method, annotation.name()));
		}
		else if (payloadDescriptor != null) {
			selector = RecordSelector.of(payloadDescriptor,
					collaborators.factory().namesReadAs(payloadDescriptor.qualifiedName()));
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
				collaborators.tracing(), responseType(collaborators, method), topics, collaborators.validator(),
				payloadDescriptor, collaborators.services());
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

	private Collaborators collaborators(Method method) {
		Collaborators collaborators = this.collaborators;
		if (collaborators == null) {
			RecordFactory factory = this.beanFactory.getBeanProvider(RecordFactory.class).getIfUnique();
			EventStore store = this.beanFactory.getBeanProvider(EventStore.class).getIfUnique();
			if (factory == null || store == null) {
				throw new IllegalStateException("@EventHandler method " + HandlerSignature.describe(method)
						+ " needs exactly one RecordFactory bean and one EventStore bean; found "
						+ ((factory != null) ? "a" : "no") + " RecordFactory and " + ((store != null) ? "an" : "no")
						+ " EventStore. The Eventy Spring Boot starter " + "defines both; without it, declare them");
			}
			PayloadValidator validator = this.beanFactory.getBeanProvider(PayloadValidator.class)
				.getIfUnique(factory::validator);
			TracingBridge tracing = this.beanFactory.getBeanProvider(TracingBridge.class)
				.getIfUnique(TracingBridge::noop);
			ServiceRegistry services = this.beanFactory.getBeanProvider(ServiceRegistry.class)
				.getIfUnique(() -> standalone(factory));
			collaborators = new Collaborators(factory, store, validator, tracing, services);
			this.collaborators = collaborators;
		}
		return collaborators;
	}

	// without declared services: this service alone, named after its source
	private static ServiceRegistry standalone(RecordFactory factory) {
		String source = factory.source();
		return ServiceRegistry.standalone(source.substring("urn:".length()), source,
				factory.registry().defaultNamespace());
	}

	private record Collaborators(RecordFactory factory, EventStore store, PayloadValidator validator,
			TracingBridge tracing, ServiceRegistry services) {
	}

}
