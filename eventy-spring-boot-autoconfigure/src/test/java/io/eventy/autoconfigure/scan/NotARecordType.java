package io.eventy.autoconfigure.scan;

public record NotARecordType(String value) {

}
