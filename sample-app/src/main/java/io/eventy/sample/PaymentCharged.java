package io.eventy.sample;

import io.eventy.record.RecordKind;
import io.eventy.record.RecordType;

/**
 * The payment service's response to {@link ChargePayment} when the charge went through.
 *
 * @param orderId the order id
 * @param chargeId the payment service's id of the charge
 */
@RecordType(namespace = "urn:payment", kind = RecordKind.RESPONSE)
public record PaymentCharged(String orderId, String chargeId) {

}
