package io.eventy.record;

import java.util.List;

import io.eventy.record.scan.ScanHolder;
import io.eventy.record.scan.ScannedAbstractEvent;
import io.eventy.record.scan.ScannedEvent;
import io.eventy.record.scan.ScannedRequest;
import io.eventy.record.scan.sub.SubPackageEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecordTypeScannerTests {

	@Test
	void findsEveryAnnotatedRecordInterfaceAbstractAndStaticNestedClassAndNothingElse() {
		assertThat(RecordTypeScanner.scan(List.of("io.eventy.record.scan"), getClass().getClassLoader()))
			.containsExactly(ScanHolder.NestedEvent.class, ScannedAbstractEvent.class, ScannedEvent.class,
					ScannedRequest.class, SubPackageEvent.class);
	}

	@Test
	void scansOnlyTheGivenPackagesAndBelow() {
		assertThat(RecordTypeScanner.scan(List.of("io.eventy.record.scan.sub"), null))
			.containsExactly(SubPackageEvent.class);
	}

	@Test
	void findsNothingInAPackageWithoutRecordTypes() {
		assertThat(RecordTypeScanner.scan(List.of("io.eventy.context", "io.eventy.nosuchpackage"), null)).isEmpty();
	}

	@Test
	void foundTypesRegisterWithTheirAnnotatedIdentity() {
		RecordTypeRegistry registry = new RecordTypeRegistry("urn:app");
		RecordTypeScanner.scan(List.of("io.eventy.record.scan"), null).forEach(registry::register);
		assertThat(registry.descriptors()).extracting(RecordTypeDescriptor::qualifiedName)
			.containsExactlyInAnyOrder("urn:app:NestedEvent", "urn:app:ScannedAbstractEvent", "urn:scan:ScannedEvent",
					"urn:app:ScannedRequest", "urn:app:SubEvent");
		assertThat(registry.require("urn:app:ScannedRequest").kind()).isEqualTo(RecordKind.REQUEST);
	}

}
