package io.eventy.record.scan;

public class NotARecordType {

}
