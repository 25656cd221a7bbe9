package io.eventy.autoconfigure.web.ingest;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The record type names clients may log: exact {@code namespace:name} names, and patterns
 * in which {@code *} stands for any characters ({@code urn:shop:*}).
 */
final class AllowedNames {

	private final List<String> names;

	private final Pattern pattern;

	/**
	 * Create the allow-list.
	 * @param names exact names and patterns, at least one
	 */
	AllowedNames(List<String> names) {
		if (names.isEmpty()) {
			throw new IllegalArgumentException("names must not be empty");
		}
		this.names = List.copyOf(names);
		this.pattern = Pattern.compile(this.names.stream().map(AllowedNames::regex).collect(Collectors.joining("|")));
	}

	private static String regex(String name) {
		StringBuilder regex = new StringBuilder();
		int start = 0;
		for (int star = name.indexOf('*'); star >= 0; star = name.indexOf('*', start)) {
			if (star > start) {
				regex.append(Pattern.quote(name.substring(start, star)));
			}
			regex.append(".*");
			start = star + 1;
		}
		if (start < name.length()) {
			regex.append(Pattern.quote(name.substring(start)));
		}
		return "(?:" + regex + ")";
	}

	/**
	 * Return whether a qualified name is allowed.
	 * @param qualifiedName a record type's {@code namespace:name}
	 * @return whether it matches a name or a pattern of the list
	 */
	boolean allows(String qualifiedName) {
		return this.pattern.matcher(qualifiedName).matches();
	}

	@Override
	public String toString() {
		return this.names.toString();
	}

}
