package io.eventy.record.scan;

import io.eventy.record.RecordKind;
import io.eventy.record.RecordType;

@RecordType(kind = RecordKind.REQUEST)
public interface ScannedRequest {

}
