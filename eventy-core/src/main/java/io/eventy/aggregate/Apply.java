package io.eventy.aggregate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of an aggregate that applies one payload type to it: its one parameter
 * is the payload. A method that returns the aggregate's own type returns the new state
 * (an immutable aggregate, such as a Java record); a {@code void} method changes the
 * object it is called on (a mutable aggregate). Found by {@link AggregateType#of(Class)}
 * on the class and its superclasses, public or not.
 * <p>
 * An apply method only changes state: it does not check rules or throw for a payload that
 * is already stored (the command that decided the payload checked them).
 *
 * <pre class="code">
 * record Order(StreamId id, String status) {
 *
 *     &#64;Apply
 *     Order placed(OrderPlaced placed) {
 *         return new Order(this.id, "PLACED");
 *     }
 *
 * }
 * </pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Apply {

}
