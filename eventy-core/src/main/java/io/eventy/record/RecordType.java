package io.eventy.record;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a payload class as an Eventy record type. The Java class name is never the
 * identity of a record: {@code namespace:name} is.
 *
 * <pre class="code">
 * &#64;RecordType(name = "OrderPlaced", namespace = "urn:shop")
 * public record OrderPlaced(String orderId, long amountCents) {
 * }
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RecordType {

	/**
	 * The record name; the simple class name when empty.
	 * @return the record name
	 */
	String name() default "";

	/**
	 * The namespace, a URN such as {@code urn:shop}; the service namespace when empty.
	 * @return the namespace
	 */
	String namespace() default "";

	/**
	 * The SemVer version of the record's data schema.
	 * @return the version
	 */
	String version() default "1.0.0";

	/**
	 * The kind of record.
	 * @return the kind
	 */
	RecordKind kind() default RecordKind.EVENT;

}
