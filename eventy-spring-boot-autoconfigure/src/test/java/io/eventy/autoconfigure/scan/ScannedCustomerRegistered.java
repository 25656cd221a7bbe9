package io.eventy.autoconfigure.scan;

import io.eventy.record.RecordType;

@RecordType(name = "CustomerRegistered")
public record ScannedCustomerRegistered(String customerId) {

}
