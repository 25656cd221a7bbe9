package io.eventy.record;

import java.util.Collection;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Finds {@link RecordType} classes in packages. (stub: being implemented)
 */
public final class RecordTypeScanner {

	private RecordTypeScanner() {
	}

	/**
	 * Find every class annotated with {@link RecordType} in the packages and below.
	 * @param basePackages the packages
	 * @param classLoader the class loader, or {@code null} for the default
	 * @return the classes
	 */
	public static Set<Class<?>> scan(Collection<String> basePackages, @Nullable ClassLoader classLoader) {
		throw new UnsupportedOperationException("not yet");
	}

}
