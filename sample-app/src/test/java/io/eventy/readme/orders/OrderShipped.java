package io.eventy.readme.orders;

import io.eventy.record.RecordType;
import jakarta.validation.constraints.NotBlank;

/**
 * The second record of the README's order streams, appended by {@link OrderService}.
 *
 * @param orderId the order id
 * @param carrier who ships it
 */
@RecordType(namespace = "urn:shop")
record OrderShipped(@NotBlank String orderId, @NotBlank String carrier) {

}
