package io.eventy.record.scan;

import io.eventy.record.RecordType;

@RecordType(namespace = "urn:scan")
public record ScannedEvent(String id) {
}
