package io.eventy.aggregate;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.eventy.store.StreamId;
import org.jspecify.annotations.Nullable;

/**
 * The type of an aggregate class described by {@link Apply} methods.
 */
final class AnnotatedAggregateType<T> implements AggregateType<T> {

	private final Class<T> type;

	private final Map<Class<?>, Method> appliers;

	private final Constructor<T> constructor;

	private final boolean takesStream;

	private AnnotatedAggregateType(Class<T> type, Map<Class<?>, Method> appliers, Constructor<T> constructor) {
		this.type = type;
		this.appliers = appliers;
		this.constructor = constructor;
		this.takesStream = constructor.getParameterCount() == 1;
	}

	static <T> AnnotatedAggregateType<T> of(Class<T> type) {
		Map<Class<?>, Method> appliers = new LinkedHashMap<>();
		for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
			for (Method method : current.getDeclaredMethods()) {
				if (method.isAnnotationPresent(Apply.class)) {
					addApplier(type, method, appliers);
				}
			}
		}
		if (appliers.isEmpty()) {
			throw new IllegalArgumentException("Aggregate " + type.getName()
					+ " has no @Apply method: annotate each method that applies a payload with @Apply");
		}
		return new AnnotatedAggregateType<>(type, Map.copyOf(appliers), constructor(type));
	}

	private static void addApplier(Class<?> type, Method method, Map<Class<?>, Method> appliers) {
		String where = "@Apply method " + method.getDeclaringClass().getSimpleName() + "." + method.getName();
		if (Modifier.isStatic(method.getModifiers())) {
			throw new IllegalArgumentException(where + " must not be static");
		}
		if (method.getParameterCount() != 1) {
			throw new IllegalArgumentException(
					where + " must take exactly one parameter, the payload, not " + method.getParameterCount());
		}
		Class<?> returns = method.getReturnType();
		if (returns != void.class && returns != type) {
			throw new IllegalArgumentException(where + " must return void (a mutable aggregate) or "
					+ type.getSimpleName() + " (the new state of an immutable one), not " + returns.getSimpleName());
		}
		Class<?> payloadType = method.getParameterTypes()[0];
		Method other = appliers.putIfAbsent(payloadType, method);
		if (other != null) {
			throw new IllegalArgumentException(
					where + " and " + other.getName() + " both apply " + payloadType.getSimpleName() + ": keep one");
		}
		method.setAccessible(true);
	}

	private static <T> Constructor<T> constructor(Class<T> type) {
		Constructor<T> constructor = findConstructor(type, StreamId.class);
		if (constructor == null) {
			constructor = findConstructor(type);
		}
		if (constructor == null) {
			throw new IllegalArgumentException("Aggregate " + type.getName()
					+ " needs a constructor that takes its StreamId, or one without parameters, for its initial state");
		}
		constructor.setAccessible(true);
		return constructor;
	}

	private static <T> @Nullable Constructor<T> findConstructor(Class<T> type, Class<?>... parameters) {
		try {
			return type.getDeclaredConstructor(parameters);
		}
		catch (NoSuchMethodException ex) {
			return null;
		}
	}

	@Override
	public String name() {
		return this.type.getSimpleName();
	}

	@Override
	public Class<T> stateType() {
		return this.type;
	}

	@Override
	public Set<Class<?>> payloadTypes() {
		return this.appliers.keySet();
	}

	@Override
	public T create(StreamId stream) {
		try {
			return this.takesStream ? this.constructor.newInstance(stream) : this.constructor.newInstance();
		}
		catch (InvocationTargetException ex) {
			throw rethrow(ex);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Could not create aggregate " + this.type.getName(), ex);
		}
	}

	@Override
	public T apply(T aggregate, Object payload) {
		Method method = this.appliers.get(payload.getClass());
		if (method == null) {
			throw new IllegalArgumentException("Aggregate " + this.type.getSimpleName() + " has no @Apply method for "
					+ payload.getClass().getName());
		}
		try {
			Object result = method.invoke(aggregate, payload);
			if (method.getReturnType() == void.class) {
				return aggregate;
			}
			if (result == null) {
				throw new IllegalStateException("@Apply method " + this.type.getSimpleName() + "." + method.getName()
						+ " returned null: it must return the new state");
			}
			return this.type.cast(result);
		}
		catch (InvocationTargetException ex) {
			throw rethrow(ex);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("Could not call " + method, ex);
		}
	}

	@Override
	public List<?> takePending(T aggregate) {
		return (aggregate instanceof PendingRecords pending) ? pending.takePending() : List.of();
	}

	private static RuntimeException rethrow(InvocationTargetException ex) {
		Throwable cause = ex.getCause();
		if (cause instanceof RuntimeException runtime) {
			return runtime;
		}
		if (cause instanceof Error error) {
			throw error;
		}
		return new IllegalStateException(cause);
	}

	@Override
	public String toString() {
		return "aggregate " + this.type.getName();
	}

}
