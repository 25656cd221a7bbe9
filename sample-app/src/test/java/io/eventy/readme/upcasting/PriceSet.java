package io.eventy.readme.upcasting;

import io.eventy.record.RecordType;

/**
 * The README's record type at version 2: version 1 had no currency.
 *
 * @param productId the product
 * @param amountCents the price
 * @param currency its currency, since 2.0.0
 */
@RecordType(namespace = "urn:shop", version = "2.0.0")
record PriceSet(String productId, long amountCents, String currency) {

}
