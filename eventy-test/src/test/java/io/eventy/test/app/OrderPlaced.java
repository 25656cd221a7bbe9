package io.eventy.test.app;

import io.eventy.record.RecordType;

/**
 * An order was placed.
 *
 * @param orderId the order
 * @param amountCents its amount
 */
@RecordType(name = "OrderPlaced", namespace = "urn:shop")
public record OrderPlaced(String orderId, long amountCents) {
}
