package io.eventy.record;

import java.util.Objects;

/**
 * A registered record type: its payload class and its protocol identity.
 *
 * @param payloadType the payload class
 * @param namespace the URN namespace
 * @param name the name within the namespace
 * @param version the SemVer data version
 * @param kind the kind of record
 */
public record RecordTypeDescriptor(Class<?> payloadType, String namespace, String name, String version,
		RecordKind kind) {

	public RecordTypeDescriptor {
		Objects.requireNonNull(payloadType, "payloadType");
		Objects.requireNonNull(kind, "kind");
		if (!RecordRules.isUrn(namespace)) {
			throw new IllegalArgumentException("Record type " + payloadType.getName()
					+ " needs a namespace that is a URN starting with 'urn:', was '" + namespace + "'");
		}
		if (name == null || name.isBlank() || name.contains(":")) {
			throw new IllegalArgumentException(
					"Record type " + payloadType.getName() + " needs a non-blank name without ':', was '" + name + "'");
		}
		if (!RecordRules.isStrictSemVer(version)) {
			throw new IllegalArgumentException("Record type " + payloadType.getName()
					+ " needs a SemVer 2.0.0 version (1.2.3, 1.2.3-rc.1; no leading zero in a numeric "
					+ "pre-release identifier), was '" + version + "'");
		}
	}

	/**
	 * Describe a payload class from its {@link RecordType} annotation, if any.
	 * @param payloadType the payload class
	 * @param defaultNamespace the namespace when the annotation names none
	 * @return the descriptor
	 */
	public static RecordTypeDescriptor of(Class<?> payloadType, String defaultNamespace) {
		RecordType annotation = payloadType.getAnnotation(RecordType.class);
		if (annotation == null) {
			return new RecordTypeDescriptor(payloadType, defaultNamespace, payloadType.getSimpleName(), "1.0.0",
					RecordKind.EVENT);
		}
		String name = annotation.name().isEmpty() ? payloadType.getSimpleName() : annotation.name();
		String namespace = annotation.namespace().isEmpty() ? defaultNamespace : annotation.namespace();
		return new RecordTypeDescriptor(payloadType, namespace, name, annotation.version(), annotation.kind());
	}

	/**
	 * Return {@code namespace:name}.
	 * @return the qualified name
	 */
	public String qualifiedName() {
		return this.namespace + ":" + this.name;
	}

	/**
	 * Return the namespace of a qualified name, {@code namespace:name}: everything before
	 * its last {@code :} (a namespace is a URN, with colons of its own).
	 * @param qualifiedName the qualified name
	 * @return the namespace
	 * @throws IllegalArgumentException if the name has no namespace
	 */
	public static String namespaceOf(String qualifiedName) {
		return qualifiedName.substring(0, separator(qualifiedName));
	}

	/**
	 * Return the name of a qualified name, {@code namespace:name}: everything after its
	 * last {@code :}.
	 * @param qualifiedName the qualified name
	 * @return the name without its namespace
	 * @throws IllegalArgumentException if the name has no namespace
	 */
	public static String nameOf(String qualifiedName) {
		return qualifiedName.substring(separator(qualifiedName) + 1);
	}

	private static int separator(String qualifiedName) {
		int colon = qualifiedName.lastIndexOf(':');
		if (colon <= 0) {
			throw new IllegalArgumentException("'" + qualifiedName + "' is no qualified name, namespace:name");
		}
		return colon;
	}

}
