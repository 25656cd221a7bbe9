package io.eventy.record;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns, once per payload type, about annotations of Jackson 2's databind module on a
 * type that Jackson 3 converts: Jackson 3 does not see them ({@code @JsonProperty} and
 * the other {@code jackson-annotations} are shared by both, these are not), so the
 * payload's JSON silently changes.
 */
final class Jackson2Annotations {

	private static final Logger logger = LoggerFactory.getLogger(Jackson3PayloadConverter.class);

	private static final String DATABIND_ANNOTATIONS = "com.fasterxml.jackson.databind.annotation.";

	private static final ClassValue<Boolean> checked = new ClassValue<>() {

		@Override
		protected Boolean computeValue(Class<?> type) {
			Set<String> found = find(type);
			if (!found.isEmpty()) {
				logger.warn("Payload type {} carries Jackson 2 annotations {} that Jackson 3, which converts payloads "
						+ "in this application, ignores: use their tools.jackson.databind.annotation counterparts",
						type.getName(), found);
			}
			return found.isEmpty();
		}

	};

	private Jackson2Annotations() {
	}

	/**
	 * Warn about a payload type's Jackson 2 databind annotations, the first time only.
	 * @param type the payload type
	 */
	static void check(Class<?> type) {
		checked.get(type);
	}

	/**
	 * Return the Jackson 2 databind annotations on a type, its fields, methods and
	 * constructor parameters.
	 * @param type the type
	 * @return the annotations' simple names
	 */
	static Set<String> find(Class<?> type) {
		Set<String> found = new TreeSet<>();
		collect(type, found);
		for (Field field : type.getDeclaredFields()) {
			collect(field, found);
		}
		for (Method method : type.getDeclaredMethods()) {
			collect(method, found);
		}
		for (Constructor<?> constructor : type.getDeclaredConstructors()) {
			for (Parameter parameter : constructor.getParameters()) {
				collect(parameter, found);
			}
		}
		return found;
	}

	private static void collect(AnnotatedElement element, Set<String> found) {
		for (Annotation annotation : element.getDeclaredAnnotations()) {
			if (annotation.annotationType().getName().startsWith(DATABIND_ANNOTATIONS)) {
				found.add("@" + annotation.annotationType().getSimpleName());
			}
		}
	}

}
