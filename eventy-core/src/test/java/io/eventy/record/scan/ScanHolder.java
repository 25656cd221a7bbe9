package io.eventy.record.scan;

import io.eventy.record.RecordType;

public class ScanHolder {

	@RecordType
	public static class NestedEvent {

	}

	// not a candidate: an inner class needs an enclosing instance, Jackson cannot create
	// it
	@RecordType
	public class InnerEvent {

	}

	public static class NestedNotAnnotated {

	}

}
