package io.eventy.handler;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import io.eventy.record.RecordType;
import io.eventy.store.EventStore;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link HandlerEndpointFactory}, without an application context.
 */
class HandlerEndpointFactoryTests {

	private final Shipping shipping = new Shipping();

	@Test
	void buildsTheEndpointOfAMethodFromItsBeanNameAndAnnotation() {
		HandlerEndpoint endpoint = create("shipping", "onShipped");
		assertThat(endpoint.subscription()).isEqualTo("shipping.onShipped");
		assertThat(endpoint.guarantee()).isEqualTo(Guarantee.AT_MOST_ONCE);
		assertThat(endpoint.recordType().qualifiedName()).isEqualTo("urn:shop:Shipped");
		assertThat(endpoint.topics()).containsExactly("crm.events", "shop-events");
		assertThat(endpoint.handlerName()).isEqualTo(Shipping.class.getName() + ".onShipped(Shipped)");
	}

	@Test
	void subscriptionNameWithSurroundingSpacesFailsNamingTheMethodAndTheFix() {
		assertThatIllegalStateException().isThrownBy(() -> create("shipping", "padded"))
			.withMessageContaining(Shipping.class.getName() + ".padded(Shipped)")
			.withMessageContaining("its subscription name ' shipments' must have 1 to "
					+ HandlerEndpointFactory.MAX_SUBSCRIPTION_LENGTH + " characters")
			.withMessageContaining("set @EventHandler(subscription = ...)");
	}

	@Test
	void subscriptionNameWithAControlCharacterFails() {
		assertThatIllegalStateException().isThrownBy(() -> create("shipping", "tabbed"))
			.withMessageContaining("no control characters");
	}

	@Test
	void beansAreLookedUpWithTheFirstHandlerAndNamedWhenMissing() {
		HandlerEndpointFactory factory = new HandlerEndpointFactory(new DefaultListableBeanFactory());
		assertThatIllegalStateException()
			.isThrownBy(() -> factory.createEndpoint("shipping", () -> this.shipping, method("onShipped"),
					method("onShipped"), method("onShipped").getAnnotation(EventHandler.class)))
			.withMessageContaining("found no RecordFactory and no EventStore");
	}

	private HandlerEndpoint create(String beanName, String methodName) {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerSingleton("recordFactory", HandlerTestContexts.recordFactory());
		beanFactory.registerSingleton("eventStore", unusedStore());
		Method method = method(methodName);
		return new HandlerEndpointFactory(beanFactory).createEndpoint(beanName, () -> this.shipping, method, method,
				method.getAnnotation(EventHandler.class));
	}

	private static Method method(String name) {
		Method method = ReflectionUtils.findMethod(Shipping.class, name, Shipped.class);
		assertThat(method).isNotNull();
		return method;
	}

	private static EventStore unusedStore() {
		return (EventStore) Proxy.newProxyInstance(EventStore.class.getClassLoader(),
				new Class<?>[] { EventStore.class }, (proxy, method, arguments) -> {
					throw new UnsupportedOperationException(method.getName());
				});
	}

	@RecordType(namespace = "urn:shop")
	record Shipped(String orderId) {
	}

	static class Shipping {

		@EventHandler(guarantee = Guarantee.AT_MOST_ONCE, topics = { "crm.events", "shop-events", "crm.events" })
		void onShipped(Shipped event) {
		}

		@EventHandler(subscription = " shipments")
		void padded(Shipped event) {
		}

		@EventHandler(subscription = "ship\tments")
		void tabbed(Shipped event) {
		}

	}

}
