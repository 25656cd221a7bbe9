package io.eventy.service;

import java.util.List;
import java.util.UUID;

import io.eventy.record.EventyRecord;
import io.eventy.record.RecordKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ServiceRegistryTests {

	private final ServiceRegistry services = new ServiceRegistry(new ServiceDefinition("orders", "urn:shop"),
			"urn:orders", List.of(new ServiceDefinition("payment", "urn:payment")));

	@Test
	void theOwnerOfANamespaceIsThisServiceOrADeclaredOne() {
		assertThat(this.services.ownerOf("urn:shop")).contains(this.services.self());
		assertThat(this.services.ownerOf("urn:payment")).contains(new ServiceDefinition("payment", "urn:payment"));
		assertThat(this.services.ownerOf("urn:stock")).isEmpty();
	}

	@Test
	void aRequestGoesToTheServiceThatOwnsItsNamespace() {
		assertThat(this.services.targetOf(record(RecordKind.REQUEST, "urn:payment", null)).name()).isEqualTo("payment");
		assertThat(this.services.targetOf(record(RecordKind.REQUEST, "urn:shop", null)).name()).isEqualTo("orders");
	}

	@Test
	void aRequestOfANamespaceNoServiceOwnsFailsNamingThePropertyToSet() {
		assertThatExceptionOfType(UnknownServiceException.class)
			.isThrownBy(() -> this.services.targetOf(record(RecordKind.REQUEST, "urn:stock", null)))
			.withMessageContaining("eventy.services.<service name>.namespace=urn:stock");
	}

	@Test
	void aResponseRoutesHereOnlyWhenItsDestinationIsThisServicesSourceOrNamespace() {
		assertThat(this.services.routesHere(record(RecordKind.RESPONSE, "urn:payment", "urn:orders"))).isTrue();
		assertThat(this.services.routesHere(record(RecordKind.RESPONSE, "urn:payment", "urn:shop"))).isTrue();
		assertThat(this.services.routesHere(record(RecordKind.RESPONSE, "urn:payment", "urn:billing"))).isFalse();
	}

	@Test
	void aRequestRoutesHereUnlessAnotherDeclaredServiceOwnsItsNamespace() {
		assertThat(this.services.routesHere(record(RecordKind.REQUEST, "urn:shop", null))).isTrue();
		assertThat(this.services.routesHere(record(RecordKind.REQUEST, "urn:stock", null))).isTrue();
		assertThat(this.services.routesHere(record(RecordKind.REQUEST, "urn:payment", null))).isFalse();
	}

	@Test
	void everyEventRoutesHere() {
		assertThat(this.services.routesHere(record(RecordKind.EVENT, "urn:payment", null))).isTrue();
	}

	@Test
	void refusesTwoServicesOfOneNameOrOneNamespace() {
		ServiceDefinition self = new ServiceDefinition("orders", "urn:shop");
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> new ServiceRegistry(self, "urn:orders", List.of(new ServiceDefinition("orders", "urn:x"))))
			.withMessageContaining("Two services are named 'orders'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ServiceRegistry(self, "urn:orders",
					List.of(new ServiceDefinition("a", "urn:pay"), new ServiceDefinition("b", "urn:pay"))))
			.withMessageContaining("Services 'a' and 'b' both own namespace 'urn:pay'");
	}

	private static EventyRecord record(RecordKind kind, String namespace, String destination) {
		EventyRecord.Builder builder = EventyRecord.builder(kind).namespace(namespace).name("Thing").source("urn:any");
		if (kind == RecordKind.RESPONSE) {
			builder.destination(destination).requestUuid(UUID.randomUUID());
		}
		return builder.build();
	}

}
