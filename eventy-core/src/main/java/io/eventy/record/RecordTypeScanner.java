package io.eventy.record;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Finds {@link RecordType} classes in packages, as Spring Boot finds JPA entities, so
 * that every record type's name resolves before any record of it was written.
 * <p>
 * A class qualifies when it carries {@code @RecordType} itself (not through a
 * meta-annotation or a superclass, the way {@link RecordTypeDescriptor#of} reads it) and
 * is top-level or a static nested class: Java records, interfaces and abstract classes
 * included.
 */
public final class RecordTypeScanner {

	private RecordTypeScanner() {
	}

	/**
	 * Find every class annotated with {@link RecordType} in the packages and below.
	 * @param basePackages the packages
	 * @param classLoader the class loader, or {@code null} for the default
	 * @return the classes, sorted by name
	 * @throws IllegalStateException if a class that was found cannot be loaded
	 */
	public static Set<Class<?>> scan(Collection<String> basePackages, @Nullable ClassLoader classLoader) {
		ClassLoader loader = (classLoader != null) ? classLoader : ClassUtils.getDefaultClassLoader();
		ClassPathScanningCandidateComponentProvider provider = new RecordTypeCandidateProvider();
		provider.setResourceLoader(new DefaultResourceLoader(loader));
		Set<String> classNames = new TreeSet<>();
		for (String basePackage : basePackages) {
			for (BeanDefinition candidate : provider.findCandidateComponents(basePackage)) {
				classNames.add(Objects.requireNonNull(candidate.getBeanClassName()));
			}
		}
		Set<Class<?>> types = new LinkedHashSet<>();
		for (String className : classNames) {
			try {
				types.add(ClassUtils.forName(className, loader));
			}
			catch (ClassNotFoundException | LinkageError ex) {
				throw new IllegalStateException("Record type " + className + " was found but cannot be loaded: " + ex,
						ex);
			}
		}
		return types;
	}

	private static final class RecordTypeCandidateProvider extends ClassPathScanningCandidateComponentProvider {

		RecordTypeCandidateProvider() {
			super(false);
			addIncludeFilter(new AnnotationTypeFilter(RecordType.class, false));
		}

		@Override
		protected boolean isCandidateComponent(AnnotatedBeanDefinition beanDefinition) {
			AnnotationMetadata metadata = beanDefinition.getMetadata();
			return metadata.isIndependent() && !metadata.isAnnotation();
		}

	}

}
