package io.eventy.payment;

import io.eventy.record.RecordKind;
import io.eventy.record.RecordType;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

/**
 * A request to charge an order: the payment service's own declaration of its request type
 * (the order service declares its copy, as services that share no code do).
 *
 * @param orderId the order id
 * @param amountCents what to charge, in cents
 */
@RecordType(namespace = "urn:payment", kind = RecordKind.REQUEST)
public record ChargePayment(@NotBlank String orderId, @Positive long amountCents) {

}
