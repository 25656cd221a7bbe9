package io.eventy.sample;

import io.eventy.record.RecordType;
import jakarta.validation.constraints.NotBlank;

/**
 * An order left the warehouse.
 *
 * @param orderId the order id
 * @param carrier who carries it
 */
@RecordType(namespace = "urn:shop")
public record OrderShipped(@NotBlank String orderId, @NotBlank String carrier) {

}
