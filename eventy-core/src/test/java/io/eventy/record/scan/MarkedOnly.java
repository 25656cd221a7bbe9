package io.eventy.record.scan;

@ScanMarker
public class MarkedOnly {

}
