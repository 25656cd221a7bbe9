package com.example.orders;

import io.eventy.record.RecordType;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

@RecordType(name = "OrderPlaced", namespace = "urn:shop", version = "1.0.0")
public record OrderPlaced(@NotBlank String orderId, @Positive long amountCents) {
}
