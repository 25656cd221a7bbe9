package io.eventy.test.app;

import io.eventy.record.RecordType;

/**
 * An invoice was issued for an order.
 *
 * @param orderId the order
 * @param amountCents the amount invoiced
 */
@RecordType(name = "InvoiceIssued", namespace = "urn:shop")
public record InvoiceIssued(String orderId, long amountCents) {
}
