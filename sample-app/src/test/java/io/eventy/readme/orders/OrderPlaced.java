package io.eventy.readme.orders;

import io.eventy.record.RecordType;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

/**
 * The record type of the README's "Records and the EventStore" section, which its
 * {@link OrderService} appends and its {@link Billing} handlers select.
 *
 * @param orderId the order id
 * @param customer who placed it
 * @param amountCents what it costs, in cents
 */
@RecordType(name = "OrderPlaced", namespace = "urn:shop", version = "1.0.0")
public record OrderPlaced(@NotBlank String orderId, @NotBlank String customer, @Positive long amountCents) {
}
