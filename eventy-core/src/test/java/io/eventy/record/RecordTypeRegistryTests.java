package io.eventy.record;

import java.util.HashMap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RecordTypeRegistryTests {

	private final RecordTypeRegistry registry = new RecordTypeRegistry("urn:shop");

	@Test
	void appliesAnnotationDefaults() {
		RecordTypeDescriptor descriptor = this.registry.register(Bare.class);
		assertThat(descriptor.name()).isEqualTo("Bare");
		assertThat(descriptor.namespace()).isEqualTo("urn:shop");
		assertThat(descriptor.version()).isEqualTo("1.0.0");
		assertThat(descriptor.kind()).isEqualTo(RecordKind.EVENT);
		assertThat(descriptor.qualifiedName()).isEqualTo("urn:shop:Bare");
	}

	@Test
	void usesTheAnnotationsAttributesNotTheClassName() {
		RecordTypeDescriptor descriptor = this.registry.register(ReserveStockV2.class);
		assertThat(descriptor).isEqualTo(new RecordTypeDescriptor(ReserveStockV2.class, "urn:stock", "ReserveStock",
				"2.1.0", RecordKind.REQUEST));
		assertThat(this.registry.find("urn:stock:ReserveStock")).contains(descriptor);
		assertThat(this.registry.find("urn:shop:ReserveStockV2")).isEmpty();
	}

	@Test
	void splitsAQualifiedNameAtItsLastColonSinceANamespaceHasColonsOfItsOwn() {
		assertThat(RecordTypeDescriptor.namespaceOf("urn:shop:orders:OrderPlaced")).isEqualTo("urn:shop:orders");
		assertThat(RecordTypeDescriptor.nameOf("urn:shop:orders:OrderPlaced")).isEqualTo("OrderPlaced");
		assertThatIllegalArgumentException().isThrownBy(() -> RecordTypeDescriptor.nameOf("OrderPlaced"))
			.withMessageContaining("'OrderPlaced' is no qualified name");
	}

	@Test
	void registersAClassOnce() {
		RecordTypeDescriptor first = this.registry.register(Bare.class);
		assertThat(this.registry.register(Bare.class)).isSameAs(first);
		assertThat(this.registry.descriptorFor(Bare.class)).isSameAs(first);
		assertThat(this.registry.descriptors()).containsExactly(first);
	}

	@Test
	void refusesTheSameQualifiedNameFromTwoClassesNamingBoth() {
		this.registry.register(OrderPlaced.class);
		assertThatIllegalStateException().isThrownBy(() -> this.registry.register(OrderPlacedCopy.class))
			.withMessageContaining("urn:shop:OrderPlaced")
			.withMessageContaining(OrderPlaced.class.getName())
			.withMessageContaining(OrderPlacedCopy.class.getName());
		assertThat(this.registry.require("urn:shop:OrderPlaced").payloadType()).isEqualTo(OrderPlaced.class);
		assertThatIllegalStateException().isThrownBy(() -> this.registry.descriptorFor(OrderPlacedCopy.class));
	}

	@Test
	void refusesAnAnnotationThatBreaksTheProtocolNamingTheClass() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.registry.register(BadNamespace.class))
			.withMessageContaining(BadNamespace.class.getName())
			.withMessageContaining("'shop'");
		assertThatIllegalArgumentException().isThrownBy(() -> this.registry.register(BadVersion.class))
			.withMessageContaining("SemVer");
	}

	@Test
	void refusesJdkAndJacksonTypesAsPayloadTypes() {
		for (Class<?> type : new Class<?>[] { HashMap.class, ObjectNode.class, String.class, int[].class,
				EventyRecord.class }) {
			assertThatIllegalArgumentException().isThrownBy(() -> this.registry.register(type))
				.withMessageContaining("cannot be a record type");
		}
		assertThat(this.registry.descriptors()).isEmpty();
	}

	@Test
	void requireNamesTheUnknownTypeAndTheKnownOnes() {
		this.registry.register(Bare.class);
		assertThatExceptionOfType(UnknownRecordTypeException.class)
			.isThrownBy(() -> this.registry.require("urn:shop:Nope"))
			.withMessageContaining("'urn:shop:Nope'")
			.withMessageContaining("urn:shop:Bare");
	}

	@Test
	void refusesADefaultNamespaceThatIsNotAUrn() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RecordTypeRegistry("shop"))
			.withMessageContaining("'shop'");
	}

	@RecordType
	record Bare(String id) {
	}

	@RecordType(name = "ReserveStock", namespace = "urn:stock", version = "2.1.0", kind = RecordKind.REQUEST)
	record ReserveStockV2(String sku) {
	}

	@RecordType(name = "OrderPlaced")
	record OrderPlaced(String orderId) {
	}

	@RecordType(name = "OrderPlaced", namespace = "urn:shop")
	record OrderPlacedCopy(String orderId) {
	}

	@RecordType(namespace = "shop")
	record BadNamespace(String id) {
	}

	@RecordType(version = "1.0")
	record BadVersion(String id) {
	}

}
