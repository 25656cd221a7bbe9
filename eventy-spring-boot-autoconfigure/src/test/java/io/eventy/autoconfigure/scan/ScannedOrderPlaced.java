package io.eventy.autoconfigure.scan;

import io.eventy.record.RecordType;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

@RecordType(name = "OrderPlaced", namespace = "urn:shop")
public record ScannedOrderPlaced(@NotBlank String orderId, @Positive long amountCents) {

}
