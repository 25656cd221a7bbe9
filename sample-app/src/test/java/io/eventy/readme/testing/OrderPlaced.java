package io.eventy.readme.testing;

import io.eventy.record.RecordType;

@RecordType(namespace = "urn:shop")
record OrderPlaced(String orderId, long amountCents) {

}
