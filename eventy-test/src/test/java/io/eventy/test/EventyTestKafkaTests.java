package io.eventy.test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.kafka.KafkaEventStore;
import io.eventy.test.app.Billing;
import io.eventy.test.app.Gate;
import io.eventy.test.app.InvoiceIssued;
import io.eventy.test.app.OrderPlaced;
import io.eventy.test.app.ParcelScanned;
import io.eventy.test.app.TestShopApplication;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

@SpringBootTest(classes = TestShopApplication.class, properties = { "eventy.store.type=kafka",
		"spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
@EventyTest
class EventyTestKafkaTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private KafkaConnectionDetails connectionDetails;

	@Autowired
	private EventStore store;

	@Autowired
	private Billing billing;

	@Autowired
	private EventyTestSupport eventy;

	@Autowired
	private Gate gate;

	@Test
	void connectsTheApplicationToTheJvmsInJvmBrokerAndStartsNoDatabase() {
		assertThat(this.connectionDetails.getBootstrapServers()).isEqualTo(EmbeddedKafkaServer.bootstrapServers())
			.singleElement()
			.asString()
			.startsWith("localhost:");
		assertThat(this.context.getBeanNamesForType(javax.sql.DataSource.class)).isEmpty();
		assertThat(this.store).isInstanceOf(KafkaEventStore.class);
	}

	@Test
	void storesRecordsOnTheBrokerAndHandlesThem() {
		String orderId = UUID.randomUUID().toString();
		this.store.append(StreamId.of("order", orderId), ExpectedVersion.any(), new OrderPlaced(orderId, 700));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.billing.invoiced().contains(orderId));
	}

	@Test
	void awaitsUntilEveryConsumerGroupHandledTheRecordsAndReadsThemBack() {
		String first = UUID.randomUUID().toString();
		String second = UUID.randomUUID().toString();
		this.store.append(StreamId.of("order", first), ExpectedVersion.any(), new OrderPlaced(first, 100));
		this.store.append(StreamId.of("order", second), ExpectedVersion.any(), new OrderPlaced(second, 200));
		this.eventy.awaitIdle();
		assertThat(this.billing.invoiced()).contains(first, second);
		List<StoredRecord> recorded = this.eventy.recorded();
		assertThat(recorded).filteredOn((record) -> record.record().name().equals("OrderPlaced"))
			.map((record) -> record.payload(OrderPlaced.class).orderId())
			.containsExactly(first, second);
		assertThat(recorded).filteredOn((record) -> record.record().name().equals("InvoiceIssued"))
			.map((record) -> record.payload(InvoiceIssued.class).orderId())
			.containsExactlyInAnyOrder(first, second);
		assertThat(recorded).filteredOn((record) -> record.record().name().equals("OrderPlaced"))
			.first()
			.satisfies((record) -> assertThat(record.stream()).isEqualTo(StreamId.of("order", first)));
	}

	@Test
	void failsAfterTheTimeoutNamingTheConsumerGroupThatIsBehind() {
		this.eventy.awaitIdle();
		this.gate.close();
		try {
			this.store.publish(new ParcelScanned("p-1"));
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> this.eventy.awaitIdle(Duration.ofMillis(500)))
				.withMessageContaining("gate: consumer group")
				.withMessageContaining("1 record(s) behind");
		}
		finally {
			this.gate.open();
		}
		this.eventy.awaitIdle();
	}

}
