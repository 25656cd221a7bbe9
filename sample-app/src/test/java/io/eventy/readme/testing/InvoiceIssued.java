package io.eventy.readme.testing;

import io.eventy.record.RecordType;

@RecordType(namespace = "urn:shop")
record InvoiceIssued(String orderId, long amountCents) {

}
