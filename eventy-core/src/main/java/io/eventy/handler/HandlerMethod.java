package io.eventy.handler;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.Supplier;

import io.eventy.store.StoredRecord;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;

/**
 * An {@link EventHandler} method of one bean: calls go through the bean as the container
 * holds it (its proxy, so {@code @Transactional} applies), and reflection's wrapping is
 * undone.
 */
final class HandlerMethod {

	private final Supplier<Object> bean;

	private final Method method;

	private final String description;

	/**
	 * Create a handler method.
	 * @param bean supplies the bean to call, its proxy when it has one
	 * @param method the method to invoke on the bean, as selected on the proxy type
	 * @param description the declared method, for messages
	 */
	HandlerMethod(Supplier<Object> bean, Method method, String description) {
		this.bean = bean;
		this.method = method;
		this.description = description;
		ReflectionUtils.makeAccessible(method);
	}

	/**
	 * Call the method.
	 * @param arguments the arguments
	 * @param record the record being handled, for messages
	 * @return what the method returned
	 * @throws RuntimeException what the method threw, unchanged
	 * @throws HandlerInvocationException if the method threw a checked exception
	 */
	@Nullable Object invoke(Object[] arguments, StoredRecord record) {
		try {
			return this.method.invoke(this.bean.get(), arguments);
		}
		catch (InvocationTargetException ex) {
			Throwable target = ex.getTargetException();
			if (target instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (target instanceof Error error) {
				throw error;
			}
			throw new HandlerInvocationException("Handler " + this.description + " failed on " + record + ": " + target,
					target);
		}
		catch (IllegalAccessException | IllegalArgumentException ex) {
			throw new IllegalStateException("Could not call handler " + this.description + " on " + record, ex);
		}
	}

	/**
	 * Return the declared method, for messages.
	 * @return the description
	 */
	String description() {
		return this.description;
	}

	@Override
	public String toString() {
		return this.description;
	}

}
