package io.eventy.record;

import java.util.Objects;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Brings the {@code data} of stored records of one record type from one major version to
 * a newer one, so that a payload class whose {@code @RecordType(version = ...)} moved on
 * still reads every record ever stored. Upcasters are chained: a record stored at 1.x is
 * read as a 3.x payload through an upcaster from major 1 (to 2.0.0) and one from major 2
 * (to 3.0.0). Minor and patch versions of one major are compatible by SemVer's rules and
 * need none. Stored records are never rewritten: each read upcasts a copy of their data.
 * <p>
 * An upcaster may also rename the record type ({@link #toName()}): records stored as
 * {@code urn:shop:OrderCreated} 1.x are then read as the {@code urn:shop:OrderPlaced}
 * payload class, whose handlers receive them, through a chain that goes on with the
 * upcasters of the new name.
 * <p>
 * In a Spring Boot application, declare upcasters as beans.
 *
 * <pre class="code">
 * &#64;Bean
 * RecordUpcaster orderPlacedV1(ObjectMapper objectMapper) {
 *     return RecordUpcaster.of("urn:shop:OrderPlaced", 1, "2.0.0", (data) -&gt; {
 *         data.put("currency", "EUR");
 *         return data;
 *     });
 * }
 * </pre>
 */
public interface RecordUpcaster {

	/**
	 * Return the record type the upcaster reads.
	 * @return its qualified name, {@code namespace:name}, such as
	 * {@code urn:shop:OrderPlaced}
	 */
	String qualifiedName();

	/**
	 * Return the major version of the records the upcaster reads.
	 * @return the major version, such as {@code 1} for records stored at 1.x
	 */
	int fromMajor();

	/**
	 * Return the version the data has after the upcaster: of a greater major version, or
	 * of any version when the upcaster {@link #toName() renames} the record type.
	 * @return a SemVer version, such as {@code 2.0.0}
	 */
	String toVersion();

	/**
	 * Return the record type the data belongs to after the upcaster.
	 * @return its qualified name, {@code namespace:name}: by default the one it reads,
	 * another when the upcaster renames the record type
	 */
	default String toName() {
		return qualifiedName();
	}

	/**
	 * Bring a record's data to {@link #toVersion()}.
	 * @param data a copy of the data, which the upcaster may change and return
	 * @return the data at {@link #toVersion()}
	 */
	ObjectNode upcast(ObjectNode data);

	/**
	 * Return an upcaster made of a function.
	 * @param qualifiedName the record type, {@code namespace:name}
	 * @param fromMajor the major version of the records it reads
	 * @param toVersion the version of the data it returns
	 * @param upcast brings the data to {@code toVersion}; it may change its argument
	 * @return the upcaster
	 */
	static RecordUpcaster of(String qualifiedName, int fromMajor, String toVersion, UnaryOperator<ObjectNode> upcast) {
		return of(qualifiedName, fromMajor, qualifiedName, toVersion, upcast);
	}

	/**
	 * Return an upcaster made of a function that renames the record type.
	 * @param qualifiedName the record type it reads, {@code namespace:name}
	 * @param fromMajor the major version of the records it reads
	 * @param toName the record type of the data it returns, {@code namespace:name}
	 * @param toVersion the version of the data it returns
	 * @param upcast brings the data to {@code toVersion}; it may change its argument
	 * @return the upcaster
	 */
	static RecordUpcaster of(String qualifiedName, int fromMajor, String toName, String toVersion,
			UnaryOperator<ObjectNode> upcast) {
		Objects.requireNonNull(qualifiedName, "qualifiedName");
		Objects.requireNonNull(toName, "toName");
		Objects.requireNonNull(toVersion, "toVersion");
		Objects.requireNonNull(upcast, "upcast");
		return new RecordUpcaster() {

			@Override
			public String qualifiedName() {
				return qualifiedName;
			}

			@Override
			public int fromMajor() {
				return fromMajor;
			}

			@Override
			public String toName() {
				return toName;
			}

			@Override
			public String toVersion() {
				return toVersion;
			}

			@Override
			public ObjectNode upcast(ObjectNode data) {
				return upcast.apply(data);
			}

			@Override
			public String toString() {
				String to = qualifiedName.equals(toName) ? toVersion : toName + " " + toVersion;
				return "upcaster of " + qualifiedName + " from " + fromMajor + ".x to " + to;
			}

		};
	}

}
