package io.eventy.record;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Maps record type names ({@code namespace:name}) to payload classes and back. Types are
 * registered from package scanning ({@link RecordTypeScanner}), from handler parameters,
 * and on first use of a payload class, so that a name resolves before any record of it
 * was written.
 */
public final class RecordTypeRegistry {

	private final String defaultNamespace;

	private final Map<String, RecordTypeDescriptor> byName = new ConcurrentHashMap<>();

	private final Map<Class<?>, RecordTypeDescriptor> byType = new ConcurrentHashMap<>();

	/**
	 * Create a registry.
	 * @param defaultNamespace the namespace of types whose annotation names none, a URN
	 */
	public RecordTypeRegistry(String defaultNamespace) {
		if (!RecordRules.isUrn(defaultNamespace)) {
			throw new IllegalArgumentException(
					"The service namespace must be a URN starting with 'urn:', was '" + defaultNamespace + "'");
		}
		this.defaultNamespace = defaultNamespace;
	}

	/**
	 * Return the namespace of types whose annotation names none.
	 * @return the default namespace
	 */
	public String defaultNamespace() {
		return this.defaultNamespace;
	}

	/**
	 * Register a payload class, once.
	 * @param payloadType the payload class
	 * @return its descriptor
	 * @throws IllegalArgumentException if the class cannot be a payload (a JDK or Jackson
	 * type such as {@code Map} or {@code JsonNode}, an array, a primitive) or its
	 * {@link RecordType} annotation is invalid
	 * @throws IllegalStateException if another class already has the same qualified name
	 */
	public RecordTypeDescriptor register(Class<?> payloadType) {
		RecordTypeDescriptor existing = this.byType.get(payloadType);
		if (existing != null) {
			return existing;
		}
		checkPayloadType(payloadType);
		RecordTypeDescriptor descriptor = RecordTypeDescriptor.of(payloadType, this.defaultNamespace);
		RecordTypeDescriptor previous = this.byName.putIfAbsent(descriptor.qualifiedName(), descriptor);
		if (previous != null && previous.payloadType() != payloadType) {
			throw new IllegalStateException("Record type " + descriptor.qualifiedName() + " is declared twice, by "
					+ previous.payloadType().getName() + " and " + payloadType.getName()
					+ "; give one of them another @RecordType name or namespace");
		}
		this.byType.putIfAbsent(payloadType, descriptor);
		return descriptor;
	}

	private static void checkPayloadType(Class<?> payloadType) {
		String name = payloadType.getName();
		if (payloadType.isPrimitive() || payloadType.isArray() || payloadType.isAnnotation() || name.startsWith("java.")
				|| name.startsWith("javax.") || name.startsWith("com.fasterxml.jackson.")
				|| EventyRecord.class.isAssignableFrom(payloadType)) {
			// a Map or a JsonNode would otherwise become a record type named "HashMap" or
			// "ObjectNode"
			throw new IllegalArgumentException("Class " + payloadType.getTypeName()
					+ " cannot be a record type: a payload is a record or bean of your own, annotated with"
					+ " @RecordType; to write raw data use the record type's qualified name and a Map");
		}
	}

	/**
	 * Return the descriptor of a payload class, registering it on first use.
	 * @param payloadType the payload class
	 * @return the descriptor
	 * @throws IllegalArgumentException if the class cannot be a payload, as in
	 * {@link #register(Class)}
	 * @throws IllegalStateException if another class already has the same qualified name
	 */
	public RecordTypeDescriptor descriptorFor(Class<?> payloadType) {
		RecordTypeDescriptor descriptor = this.byType.get(payloadType);
		return (descriptor != null) ? descriptor : register(payloadType);
	}

	/**
	 * Find a registered type by qualified name.
	 * @param qualifiedName {@code namespace:name}
	 * @return the descriptor, if registered
	 */
	public Optional<RecordTypeDescriptor> find(String qualifiedName) {
		return Optional.ofNullable(this.byName.get(qualifiedName));
	}

	/**
	 * Find a registered type by namespace and name.
	 * @param namespace the namespace
	 * @param name the name
	 * @return the descriptor, or {@code null}
	 */
	public @Nullable RecordTypeDescriptor find(String namespace, String name) {
		return this.byName.get(namespace + ":" + name);
	}

	/**
	 * Return a registered type by qualified name.
	 * @param qualifiedName {@code namespace:name}
	 * @return the descriptor
	 * @throws UnknownRecordTypeException if no type has that name
	 */
	public RecordTypeDescriptor require(String qualifiedName) {
		RecordTypeDescriptor descriptor = this.byName.get(qualifiedName);
		if (descriptor == null) {
			throw new UnknownRecordTypeException("No record type is registered as '" + qualifiedName
					+ "'; known types: " + this.byName.keySet().stream().sorted().toList()
					+ ". Annotate the payload class with @RecordType in a scanned package");
		}
		return descriptor;
	}

	/**
	 * Return every registered type.
	 * @return the descriptors
	 */
	public Collection<RecordTypeDescriptor> descriptors() {
		return List.copyOf(this.byName.values());
	}

}
