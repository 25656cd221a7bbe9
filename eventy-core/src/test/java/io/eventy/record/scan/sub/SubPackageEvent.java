package io.eventy.record.scan.sub;

import io.eventy.record.RecordType;

@RecordType(name = "SubEvent")
public record SubPackageEvent(long value) {
}
