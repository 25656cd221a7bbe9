package io.eventy.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Class names written as strings ({@code afterName}, {@code @ConditionalOnClass(name =
 * …)}, {@code ClassUtils.isPresent}, {@code spring.factories}) compile whatever they
 * name; one that names a class that moved or is gone silently does nothing. The test
 * classpath has every optional library of the module, so each name must resolve there.
 */
class ClassNameReferencesTests {

	/** A quoted, fully qualified class name: lower-case packages, then a type. */
	private static final Pattern QUOTED_CLASS_NAME = Pattern
		.compile("\"((?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_]*(?:\\$[A-Za-z0-9_]+)*)\"");

	/** A class name on a line of its own, as in spring.factories and imports files. */
	private static final Pattern LISTED_CLASS_NAME = Pattern
		.compile("^((?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_]*)(?:,\\\\)?$", Pattern.MULTILINE);

	@Test
	void everyClassNamedInAStringOfTheMainCodeExists() throws IOException {
		List<String> names = names(Path.of("src/main/java"), QUOTED_CLASS_NAME);
		assertThat(names).as("class names in strings of the main code").isNotEmpty();
		assertThat(missing(names)).as("class names in strings that name no class").isEmpty();
	}

	@Test
	void everyClassListedInTheMetaInfFilesExists() throws IOException {
		List<String> names = names(Path.of("src/main/resources/META-INF"), LISTED_CLASS_NAME);
		assertThat(names).as("class names in META-INF").isNotEmpty();
		assertThat(missing(names)).as("class names in META-INF that name no class").isEmpty();
	}

	@Test
	void aMovedClassNameIsFound() {
		// the check itself can fail: the Spring Boot 3 name of the DataSource
		// auto-configuration is gone on Boot 4
		assertThat(missing(List.of("org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")))
			.hasSize(1);
	}

	private static List<String> names(Path root, Pattern pattern) throws IOException {
		List<String> names = new ArrayList<>();
		try (Stream<Path> files = Files.walk(root)) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				Matcher matcher = pattern.matcher(Files.readString(file));
				while (matcher.find()) {
					names.add(matcher.group(1));
				}
			}
		}
		return names;
	}

	private static List<String> missing(List<String> names) {
		return names.stream().distinct().filter((name) -> !exists(name)).toList();
	}

	private static boolean exists(String name) {
		try {
			Class.forName(name, false, ClassNameReferencesTests.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

}
