package io.eventy.readme.orders;

import io.eventy.record.RecordType;

/**
 * The record the README's {@code invoices} handler returns.
 *
 * @param orderId the order id
 * @param amountCents what the invoice is for, in cents
 */
@RecordType(namespace = "urn:shop")
record InvoiceIssued(String orderId, long amountCents) {

}
