package io.eventy.record.scan;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

import io.eventy.record.RecordType;

// not a candidate itself, and neither is what it annotates: @RecordType is read directly
@RecordType
@Retention(RetentionPolicy.RUNTIME)
public @interface ScanMarker {

}
