/**
 * The sample's second service: a payment service that answers {@code ChargePayment}
 * requests of the order service.
 */
@NullMarked
package io.eventy.payment;

import org.jspecify.annotations.NullMarked;
