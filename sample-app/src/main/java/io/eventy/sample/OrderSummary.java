package io.eventy.sample;

/**
 * One row of the {@code order_summary} read model.
 *
 * @param orderId the order id
 * @param customer who placed the order
 * @param amountCents what it costs, in cents
 * @param status {@code PLACED} or {@code SHIPPED}
 * @param updatedPosition the store position of the last record projected into it
 */
record OrderSummary(String orderId, String customer, long amountCents, String status, long updatedPosition) {

}
