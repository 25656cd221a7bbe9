package io.eventy.test;

import java.util.UUID;

import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StreamId;
import io.eventy.store.kafka.KafkaEventStore;
import io.eventy.test.app.Billing;
import io.eventy.test.app.OrderPlaced;
import io.eventy.test.app.TestShopApplication;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
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
		await().atMost(java.time.Duration.ofSeconds(30)).until(() -> this.billing.invoiced().contains(orderId));
	}

}
