package io.eventy.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a Spring bean as the handler of a durable, named subscription.
 * <p>
 * Parameters, in any order and combination: the payload type (the record's {@code data}
 * read into it; it selects the records of its {@link io.eventy.record.RecordType}), a
 * {@code JsonNode} or {@code ObjectNode} of Jackson 2
 * ({@code com.fasterxml.jackson.databind}) and one of Jackson 3
 * ({@code tools.jackson.databind}, when on the classpath), each the raw {@code data}
 * object, a {@link io.eventy.store.StoredRecord} and an
 * {@link io.eventy.record.EventyRecord}. A returned payload, or a collection of them, is
 * stored as new records in the same transaction as the checkpoint when the guarantee is
 * {@link Guarantee#EXACTLY_ONCE}; for a REQUEST payload, the return value becomes the
 * RESPONSE and a thrown exception an error RESPONSE, whose code an
 * {@link EventyErrorResponseException} chooses (500 for any other exception, 400 for a
 * request whose data does not fit its type or fails Bean Validation).
 *
 * <pre class="code">
 * &#64;EventHandler
 * void onOrderPlaced(OrderPlaced event, StoredRecord record) { ... }
 *
 * &#64;EventHandler(name = "urn:shop:Contract(Suspended|Activated)")
 * void onContract(JsonNode data) { ... }
 * </pre>
 *
 * @see EnableEventHandlers
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
public @interface EventHandler {

	/**
	 * The name of the subscription, which keeps the checkpoint;
	 * {@code <bean name>.<method
	 * name>} when empty. Renaming a subscription starts a new one.
	 * @return the subscription name
	 */
	String subscription() default "";

	/**
	 * A regular expression (Java syntax) matched against the whole {@code namespace:name}
	 * of each record; when empty, the records of the payload parameter's type are
	 * handled.
	 * @return the record name pattern
	 */
	String name() default "";

	/**
	 * The delivery guarantee.
	 * @return the guarantee
	 */
	Guarantee guarantee() default Guarantee.AT_LEAST_ONCE;

	/**
	 * Kafka topics of other services this subscription reads, besides the service's own
	 * topics and those of {@code eventy.kafka.subscribe-topics}, such as
	 * {@code "shop-events"} for a billing service that handles the shop's
	 * {@code urn:shop:OrderPlaced}. Records whose name the handler does not select are
	 * skipped. A topic that does not exist yet is read once it is created; Eventy never
	 * creates another service's topics.
	 * <p>
	 * Names are checked at startup (1 to 249 characters of {@code [A-Za-z0-9._-]}) on
	 * every store, but only the Kafka store reads topics: on PostgreSQL a subscription
	 * reads every record of the store's tables, and this attribute is ignored.
	 * @return the extra topics, none by default
	 */
	String[] topics() default {};

}
