package io.eventy.sample;

import io.eventy.record.RecordType;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

/**
 * An order was placed: the first record of every order stream.
 *
 * @param orderId the order id
 * @param customer who placed it
 * @param amountCents what it costs, in cents
 */
@RecordType(namespace = "urn:shop")
public record OrderPlaced(@NotBlank String orderId, @NotBlank String customer, @Positive long amountCents) {

}
