package io.eventy.sample;

import io.eventy.record.RecordType;
import jakarta.validation.constraints.NotBlank;

/**
 * An invoice was issued for an order; emitted by the {@code invoices} subscription.
 *
 * @param orderId the order id
 * @param invoiceNumber the invoice number
 * @param amountCents what the invoice is for, in cents
 */
@RecordType(namespace = "urn:shop")
public record InvoiceIssued(@NotBlank String orderId, @NotBlank String invoiceNumber, long amountCents) {

}
