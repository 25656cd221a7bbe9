package io.eventy.sample;

import io.eventy.record.RecordKind;
import io.eventy.record.RecordType;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

/**
 * The request to charge an order's payment, sent to the payment service, which owns the
 * namespace {@code urn:payment} ({@code eventy.services.payment.namespace}).
 *
 * @param orderId the order id
 * @param amountCents what to charge, in cents
 */
@RecordType(namespace = "urn:payment", kind = RecordKind.REQUEST)
public record ChargePayment(@NotBlank String orderId, @Positive long amountCents) {

}
