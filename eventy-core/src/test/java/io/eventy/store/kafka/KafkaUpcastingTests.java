package io.eventy.store.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.eventy.handler.EventHandler;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordType;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.record.RecordUpcaster;
import io.eventy.testsupport.KafkaTestBroker;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Kafka subscription reads records an older version of the service wrote through the
 * application's upcasters.
 */
class KafkaUpcastingTests {

	@Test
	void aHandlerOfTheNewestMajorReadsRecordsOfTheFirstThroughAChainOfTwoUpcasters() {
		String service = KafkaHandlerContexts.newService(1);
		publishAsAnOlderVersion(service, new PriceSetV1(1250), new PriceSetV1(990));
		Prices prices = new Prices();
		Map<String, Object> beans = new LinkedHashMap<>();
		beans.put("prices", prices);
		beans.put("oneToTwo", RecordUpcaster.of("urn:shop:PriceSet", 1, "2.0.0", (data) -> {
			data.put("currency", "EUR");
			return data;
		}));
		beans.put("twoToThree", RecordUpcaster.of("urn:shop:PriceSet", 2, "3.0.0", (data) -> {
			data.put("amount", data.remove("cents").asLong() / 100.0);
			return data;
		}));
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service,
				KafkaHandlerContexts.FAST_RETRIES, false, beans)) {
			await().atMost(KafkaTestBroker.timeout())
				.untilAsserted(() -> assertThat(prices.received).containsExactly(new PriceSet(12.5, "EUR"),
						new PriceSet(9.9, "EUR")));
		}
	}

	@Test
	void aHandlerOfARenamedRecordTypeReadsTheRecordsOfItsFormerName() {
		String service = KafkaHandlerContexts.newService(1);
		publishAsAnOlderVersion(service, new PriceV1(300), new OtherV1("not a price"), new PriceV1(450));
		Prices prices = new Prices();
		Map<String, Object> beans = new LinkedHashMap<>();
		beans.put("prices", prices);
		beans.put("rename", RecordUpcaster.of("urn:shop:Price", 1, "urn:shop:PriceSet", "3.0.0", (data) -> {
			data.put("amount", data.remove("cents").asLong() / 100.0);
			data.put("currency", "CHF");
			return data;
		}));
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service,
				KafkaHandlerContexts.FAST_RETRIES, false, beans)) {
			await().atMost(KafkaTestBroker.timeout())
				.untilAsserted(() -> assertThat(prices.received).containsExactly(new PriceSet(3.0, "CHF"),
						new PriceSet(4.5, "CHF")));
		}
	}

	/**
	 * Publish records as an older version of the service did, with none of the reader's
	 * upcasters.
	 */
	private static void publishAsAnOlderVersion(String service, Object... payloads) {
		RecordFactory old = new RecordFactory(new RecordTypeRegistry("urn:shop"),
				new JacksonPayloadConverter(KafkaStoreFixture.MAPPER), PayloadValidator.none(), "urn:" + service);
		try (KafkaEventStore writer = new KafkaEventStore(
				KafkaEventStore.producerFactory(KafkaTestBroker.producerProperties(),
						KafkaTestBroker.uniqueName(service + "-old-tx")),
				KafkaTopics.forService(service), old, KafkaStoreFixture.serializer())) {
			for (Object payload : payloads) {
				writer.publish(payload);
			}
		}
	}

	/** The record type as an older version of the service wrote it. */
	@RecordType(namespace = "urn:shop", name = "PriceSet", version = "1.0.0")
	record PriceSetV1(long cents) {
	}

	/** The record type under its former name. */
	@RecordType(namespace = "urn:shop", name = "Price", version = "1.0.0")
	record PriceV1(long cents) {
	}

	/** Another record type on the same topic, which no upcaster renames. */
	@RecordType(namespace = "urn:shop", name = "Other", version = "1.0.0")
	record OtherV1(String text) {
	}

	/** The record type as this version reads it. */
	@RecordType(namespace = "urn:shop", name = "PriceSet", version = "3.0.0")
	record PriceSet(double amount, String currency) {
	}

	static class Prices {

		final List<PriceSet> received = new CopyOnWriteArrayList<>();

		@EventHandler
		void on(PriceSet set) {
			this.received.add(set);
		}

	}

}
