package io.eventy.store.kafka;

import io.eventy.record.RecordKind;
import io.eventy.record.RecordType;

/**
 * Payload types of the Kafka tests.
 */
final class KafkaTestRecords {

	private KafkaTestRecords() {
	}

	@RecordType(name = "OrderPlaced", namespace = "urn:shop")
	record OrderPlaced(String orderId, long amountCents) {
	}

	@RecordType(name = "OrderShipped", namespace = "urn:shop")
	record OrderShipped(String orderId) {
	}

	@RecordType(name = "ChargeCard", namespace = "urn:payments", kind = RecordKind.REQUEST)
	record ChargeCard(String orderId, long amountCents) {
	}

}
