package io.eventy.record.scan;

import io.eventy.record.RecordType;

@RecordType
public abstract class ScannedAbstractEvent {

}
