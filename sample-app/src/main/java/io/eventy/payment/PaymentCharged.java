package io.eventy.payment;

import io.eventy.record.RecordKind;
import io.eventy.record.RecordType;

/**
 * The response to a {@link ChargePayment} that went through.
 *
 * @param orderId the order id
 * @param chargeId the id of the charge
 */
@RecordType(namespace = "urn:payment", kind = RecordKind.RESPONSE)
public record PaymentCharged(String orderId, String chargeId) {

}
