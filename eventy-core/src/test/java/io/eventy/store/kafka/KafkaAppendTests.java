package io.eventy.store.kafka;

import java.util.List;
import java.util.Map;

import io.eventy.record.InvalidRecordException;
import io.eventy.record.UnknownRecordTypeException;
import io.eventy.store.AppendResult;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.UnsupportedStoreOperationException;
import io.eventy.store.kafka.KafkaTestRecords.OrderPlaced;
import io.eventy.store.kafka.KafkaTestRecords.OrderShipped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Kafka store's behaviour behind the {@link io.eventy.store.EventStore} API, on a
 * real broker.
 */
class KafkaAppendTests {

	private final KafkaStoreFixture fixture = new KafkaStoreFixture((payload, descriptor) -> {
		if (payload instanceof OrderPlaced placed && placed.amountCents() < 0) {
			throw new InvalidRecordException(descriptor.qualifiedName(), List.of("amountCents: must be >= 0"));
		}
	}, 1);

	private final StreamId order = StreamId.of("order", "42");

	@AfterEach
	void closeStore() {
		this.fixture.close();
	}

	@Test
	void appendReturnsTheRecordsWithTheOffsetsTheBrokerAcknowledged() {
		AppendResult first = this.fixture.store.append(this.order, ExpectedVersion.any(), new OrderPlaced("42", 1));
		AppendResult second = this.fixture.store.append(this.order, ExpectedVersion.any(), new OrderShipped("42"));

		assertThat(first.records()).singleElement().satisfies((record) -> {
			assertThat(record.position()).isZero();
			assertThat(record.stream()).isEqualTo(this.order);
			assertThat(record.streamVersion()).isZero();
			assertThat(record.payload(OrderPlaced.class)).isEqualTo(new OrderPlaced("42", 1));
		});
		assertThat(second.records()).singleElement().extracting(StoredRecord::position).isEqualTo(1L);
		assertThat(second.streamVersion()).isZero();
	}

	@Test
	void appendOfSeveralRecordsStoresThemInOrderForReadCommittedConsumers() {
		AppendResult result = this.fixture.store.append(this.order, ExpectedVersion.any(), new OrderPlaced("42", 1),
				new OrderShipped("42"), new OrderPlaced("42", 2));

		List<ConsumerRecord<String, byte[]>> onTopic = KafkaStoreFixture.readTopic(this.fixture.topics.events(), 3);
		assertThat(onTopic).extracting((record) -> this.fixture.store.mapper().toStoredRecord(record).record().uuid())
			.containsExactlyElementsOf(result.records().stream().map((record) -> record.record().uuid()).toList());
		assertThat(onTopic).extracting(ConsumerRecord::offset)
			.containsExactlyElementsOf(result.records().stream().map(StoredRecord::position).toList());
	}

	@Test
	void appendWithAnInvalidPayloadStoresNothingOfThatAppend() {
		assertThatThrownBy(() -> this.fixture.store.append(this.order, ExpectedVersion.any(), new OrderPlaced("42", 1),
				new OrderPlaced("42", -5)))
			.isInstanceOf(InvalidRecordException.class)
			.hasMessageContaining("amountCents");
		this.fixture.store.publish(new OrderShipped("marker"));

		List<ConsumerRecord<String, byte[]>> onTopic = KafkaStoreFixture.readTopic(this.fixture.topics.events(), 1);
		assertThat(onTopic).singleElement()
			.satisfies((record) -> assertThat(this.fixture.store.mapper().toStoredRecord(record).record().name())
				.isEqualTo("OrderShipped"));
	}

	@Test
	void appendInsideAKafkaTransactionThatRollsBackIsNeverSeenByReadCommittedConsumers() {
		assertThatThrownBy(() -> this.fixture.store.template().executeInTransaction((operations) -> {
			this.fixture.store.append(this.order, ExpectedVersion.any(), new OrderPlaced("42", 1));
			this.fixture.store.append(this.order, ExpectedVersion.any(), new OrderPlaced("42", 2),
					new OrderShipped("42"));
			throw new IllegalStateException("handler failed after appending");
		})).hasMessageContaining("handler failed");
		this.fixture.store.publish(new OrderShipped("marker"));

		List<ConsumerRecord<String, byte[]>> onTopic = KafkaStoreFixture.readTopic(this.fixture.topics.events(), 1);
		assertThat(onTopic).singleElement()
			.satisfies((record) -> assertThat(this.fixture.store.mapper().toStoredRecord(record).record().name())
				.isEqualTo("OrderShipped"));
	}

	@Test
	void appendInsideASpringTransactionBecomesVisibleOnlyWhenItCommits() {
		TransactionTemplate transactions = new TransactionTemplate(new NoResourceTransactionManager());
		transactions.executeWithoutResult((status) -> {
			this.fixture.store.append(this.order, ExpectedVersion.any(), new OrderPlaced("42", 1));
			status.setRollbackOnly();
		});
		transactions.executeWithoutResult(
				(status) -> this.fixture.store.append(this.order, ExpectedVersion.any(), new OrderShipped("42")));

		List<ConsumerRecord<String, byte[]>> onTopic = KafkaStoreFixture.readTopic(this.fixture.topics.events(), 1);
		assertThat(onTopic).singleElement()
			.satisfies((record) -> assertThat(this.fixture.store.mapper().toStoredRecord(record).record().name())
				.isEqualTo("OrderShipped"));
	}

	@Test
	void appendWithAnExpectedVersionOtherThanAnyThrowsNamingThePostgresStoreAndStoresNothing() {
		assertThatThrownBy(
				() -> this.fixture.store.append(this.order, ExpectedVersion.exactly(3), new OrderPlaced("42", 1)))
			.isInstanceOf(UnsupportedStoreOperationException.class)
			.hasMessageContaining("order-42")
			.hasMessageContaining("eventy.store.type=postgres");
		assertThatThrownBy(
				() -> this.fixture.store.append(this.order, ExpectedVersion.noStream(), new OrderPlaced("42", 1)))
			.isInstanceOf(UnsupportedStoreOperationException.class)
			.hasMessageContaining("eventy.store.type=postgres");
		this.fixture.store.publish(new OrderShipped("marker"));

		assertThat(KafkaStoreFixture.readTopic(this.fixture.topics.events(), 1)).hasSize(1);
	}

	@Test
	void readingAStreamThrowsNamingThePostgresStore() {
		assertThatThrownBy(() -> this.fixture.store.readStream(this.order))
			.isInstanceOf(UnsupportedStoreOperationException.class)
			.hasMessageContaining("eventy.store.type=postgres");
		assertThatThrownBy(() -> this.fixture.store.readStream(this.order, 5))
			.isInstanceOf(UnsupportedStoreOperationException.class)
			.hasMessageContaining("eventy.store.type=postgres");
	}

	@Test
	void readingInGlobalPositionOrderThrowsNamingThePostgresStore() {
		assertThatThrownBy(() -> this.fixture.store.readAll(0, 10))
			.isInstanceOf(UnsupportedStoreOperationException.class)
			.hasMessageContaining("no global position")
			.hasMessageContaining("eventy.store.type=postgres");
		assertThatThrownBy(() -> this.fixture.store.readCategory("order", 0, 10))
			.isInstanceOf(UnsupportedStoreOperationException.class)
			.hasMessageContaining("no global position")
			.hasMessageContaining("eventy.store.type=postgres");
	}

	@Test
	void appendWithoutPayloadsIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.fixture.store.append(this.order, ExpectedVersion.any(), List.of()))
			.withMessageContaining("at least one payload");
	}

	@Test
	void publishByNameStoresTheRecordOfThatType() {
		this.fixture.registry.register(OrderPlaced.class);

		StoredRecord stored = this.fixture.store.publish("urn:shop:OrderPlaced",
				Map.of("orderId", "5", "amountCents", 500));

		assertThat(stored.stream()).isNull();
		assertThat(stored.payload(OrderPlaced.class)).isEqualTo(new OrderPlaced("5", 500));
		assertThat(KafkaStoreFixture.readTopic(this.fixture.topics.events(), 1)).hasSize(1);
	}

	@Test
	void publishByAnUnknownNameThrows() {
		assertThatThrownBy(() -> this.fixture.store.publish("urn:shop:Nothing", Map.of()))
			.isInstanceOf(UnknownRecordTypeException.class);
	}

	@Test
	void storeNeedsATransactionalProducerFactory() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new KafkaEventStore(
					new org.springframework.kafka.core.DefaultKafkaProducerFactory<>(
							io.eventy.testsupport.KafkaTestBroker.producerProperties()),
					this.fixture.topics, this.fixture.recordFactory, this.fixture.serializer))
			.withMessageContaining("transactional");
	}

	/**
	 * A transaction manager of no resource: Spring transactions whose synchronizations
	 * run, as around a database transaction.
	 */
	static class NoResourceTransactionManager extends AbstractPlatformTransactionManager {

		@Override
		protected Object doGetTransaction() {
			return new Object();
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
		}

	}

}
