package io.eventy.readme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code java} block of the README is code that compiles: its text, whitespace
 * aside, is part of a Java source file of this package (compiled with the tests), of the
 * PostgreSQL quick start's application (which the README's Quick start shows whole) or of
 * eventy-core's {@code io.eventy.readme} tests (the wiring without the starter, which
 * runs on Spring Framework 6.2 too).
 */
class ReadmeSnippetsTests {

	private static final Path README = Path.of("..", "README.md");

	private static final List<Path> SOURCE_ROOTS = List.of(Path.of("src", "test", "java", "io", "eventy", "readme"),
			Path.of("..", "quickstart", "postgres", "src", "main", "java"),
			Path.of("..", "eventy-core", "src", "test", "java", "io", "eventy", "readme"));

	private static final Pattern OPENING_FENCE = Pattern.compile("^([ \\t]*)```java[ \\t]*$");

	private static final Pattern CLOSING_FENCE = Pattern.compile("^[ \\t]*```[ \\t]*$");

	private static final Pattern INDENTATION = Pattern.compile("^[ \\t]*");

	@Test
	void everyJavaBlockOfTheReadmeIsPartOfACompiledSourceFile() throws IOException {
		List<Snippet> snippets = Snippet.extract(Files.readString(README));
		assertThat(snippets).as("java blocks in %s", README.toAbsolutePath().normalize()).isNotEmpty();
		List<Snippet> missing = missing(snippets, readSources());
		assertThat(missing)
			.withFailMessage(() -> "README.md has java blocks found in no Java source file under " + SOURCE_ROOTS
					+ "; make each one real code in one of them:\n\n"
					+ missing.stream().map(Snippet::describe).collect(Collectors.joining("\n\n")))
			.isEmpty();
	}

	@Test
	void aBlockThatIsInNoSourceFileIsReportedWithItsLineNumber() {
		List<Snippet> snippets = Snippet.extract("""
				# Title

				```java
				class MadeUp {
					void notInAnySourceFile() { ... }
				}
				```
				""");
		List<Snippet> missing = missing(snippets, List.of("class Real {\n\tvoid method() {\n\t}\n}"));
		assertThat(missing).hasSize(1);
		assertThat(missing.get(0).describe()).startsWith("README.md line 3:\n\tclass MadeUp {\n");
	}

	@Test
	void tabsSpacesAndLineBreaksDoNotMatter() {
		List<Snippet> snippets = Snippet.extract("""
				```java
				Mono.just(1)
				    .block();   // aligned comment
				```
				""");
		String source = "class Real {\n\tInteger one() {\n\t\treturn Mono.just(1)\n\t\t\t.block(); // aligned comment\n\t}\n}";
		assertThat(missing(snippets, List.of(source))).isEmpty();
	}

	@Test
	void indentedBlocksOfListItemsAreExtractedWithoutTheirCommonIndentation() {
		List<Snippet> snippets = Snippet.extract("""
				- An item:

				  ```java
				  class Indented {
				  \tvoid method() {
				  \t}
				  }
				  ```

				```yaml
				not: java
				```
				""");
		assertThat(snippets).containsExactly(new Snippet(3, "class Indented {\n\tvoid method() {\n\t}\n}"));
	}

	private static List<Snippet> missing(List<Snippet> snippets, List<String> sources) {
		List<String> normalizedSources = sources.stream().map(ReadmeSnippetsTests::normalize).toList();
		return snippets.stream()
			.filter((snippet) -> normalizedSources.stream()
				.noneMatch((source) -> source.contains(snippet.normalized())))
			.toList();
	}

	private static List<String> readSources() throws IOException {
		List<String> sources = new ArrayList<>();
		for (Path root : SOURCE_ROOTS) {
			try (Stream<Path> files = Files.walk(root)) {
				for (Path file : files.filter((file) -> file.toString().endsWith(".java")).toList()) {
					// this class's own made-up blocks must not count as sources
					if (!file.getFileName().toString().equals("ReadmeSnippetsTests.java")) {
						sources.add(Files.readString(file));
					}
				}
			}
		}
		return sources;
	}

	private static String normalize(String text) {
		return text.strip().replaceAll("\\s+", " ");
	}

	/**
	 * A {@code java} block of the README.
	 *
	 * @param line the README line of the block's opening fence
	 * @param text the block's text without its common indentation
	 */
	record Snippet(int line, String text) {

		static List<Snippet> extract(String markdown) {
			List<Snippet> snippets = new ArrayList<>();
			List<String> lines = markdown.lines().toList();
			for (int i = 0; i < lines.size(); i++) {
				Matcher opening = OPENING_FENCE.matcher(lines.get(i));
				if (opening.matches()) {
					int start = i;
					List<String> block = new ArrayList<>();
					while (++i < lines.size() && !CLOSING_FENCE.matcher(lines.get(i)).matches()) {
						block.add(lines.get(i));
					}
					snippets.add(new Snippet(start + 1, stripCommonIndentation(block)));
				}
			}
			return snippets;
		}

		private static String stripCommonIndentation(List<String> lines) {
			String common = null;
			for (String line : lines) {
				if (!line.isBlank()) {
					Matcher indentation = INDENTATION.matcher(line);
					indentation.find();
					common = (common != null) ? commonPrefix(common, indentation.group()) : indentation.group();
				}
			}
			int length = (common != null) ? common.length() : 0;
			return lines.stream()
				.map((line) -> line.isBlank() ? "" : line.substring(length))
				.collect(Collectors.joining("\n"));
		}

		private static String commonPrefix(String first, String second) {
			int length = 0;
			while (length < Math.min(first.length(), second.length())
					&& first.charAt(length) == second.charAt(length)) {
				length++;
			}
			return first.substring(0, length);
		}

		String normalized() {
			return normalize(this.text);
		}

		String describe() {
			List<String> lines = this.text.lines().toList();
			return "README.md line " + this.line + ":\n"
					+ lines.stream().limit(3).map((line) -> "\t" + line).collect(Collectors.joining("\n"))
					+ ((lines.size() > 3) ? "\n\t..." : "");
		}

	}

}
