package io.eventy.store.kafka;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StreamId;
import io.eventy.store.kafka.KafkaTestRecords.OrderPlaced;
import io.eventy.store.kafka.KafkaTestRecords.OrderShipped;
import io.eventy.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.kafka.core.ProducerPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An {@code EXACTLY_ONCE} subscription skips the records its handler does not select
 * (here its own output and other records on the topic it reads) without a Kafka
 * transaction each, and still commits their offsets.
 */
class KafkaExactlyOnceSkippingTests {

	private static final Logger logger = LoggerFactory.getLogger(KafkaExactlyOnceSkippingTests.class);

	private static final int SKIPPED_BEFORE = 600;

	private static final int SKIPPED_AFTER = 150;

	@Test
	void skipsUnselectedRecordsWithoutATransactionEachAndHandlesEverySelectedRecordOnceAcrossARestart()
			throws Exception {
		String service = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext writer = KafkaHandlerContexts.start(service)) {
			EventStore store = writer.getBean(EventStore.class);
			appendShipped(store, SKIPPED_BEFORE);
			store.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("1", 1));
			appendShipped(store, SKIPPED_AFTER);
		}

		long started = System.nanoTime();
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Invoicing.class,
				CountingTransactions.class)) {
			Invoicing invoicing = context.getBean(Invoicing.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> invoicing.placed.size() == 1);
			Duration handled = Duration.ofNanos(System.nanoTime() - started);
			// every offset is committed, the skipped records' after the last one handled
			// too
			await().atMost(KafkaTestBroker.timeout()).until(() -> lag(service) == 0);
			int commits = context.getBean(CountingTransactions.class).commits.get();
			logger.info("{} skipped records and 1 handled in {} ms with {} transaction(s)",
					SKIPPED_BEFORE + SKIPPED_AFTER + 1, handled.toMillis(), commits);

			// the handled record's transaction, and those that correct the offsets past
			// transaction markers when the consumer is idle: never one per skipped record
			assertThat(commits).isBetween(1, 10);
			assertThat(invoicing.placed).containsExactly("1");
		}

		try (AnnotationConfigApplicationContext writer = KafkaHandlerContexts.start(service)) {
			EventStore store = writer.getBean(EventStore.class);
			appendShipped(store, 50);
			store.append(StreamId.of("order", "2"), ExpectedVersion.any(), new OrderPlaced("2", 2));
			appendShipped(store, 50);
		}
		try (AnnotationConfigApplicationContext restarted = KafkaHandlerContexts.start(service, Invoicing.class)) {
			Invoicing invoicing = restarted.getBean(Invoicing.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> invoicing.placed.size() == 1 && lag(service) == 0);

			assertThat(invoicing.placed).containsExactly("2");
		}
	}

	private static void appendShipped(EventStore store, int count) {
		for (int from = 0; from < count; from += 100) {
			store.append(StreamId.of("shipment", Integer.toString(from)), ExpectedVersion.any(),
					IntStream.range(from, Math.min(from + 100, count))
						.mapToObj((i) -> new OrderShipped(Integer.toString(i)))
						.toList());
		}
	}

	/**
	 * Return how many offsets of the events topic the subscription has not committed.
	 */
	private static long lag(String service) throws Exception {
		TopicPartition partition = new TopicPartition(service + "-events", 0);
		try (Admin admin = Admin.create(KafkaTestBroker.adminProperties())) {
			Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(service + ".invoicing")
				.partitionsToOffsetAndMetadata()
				.get(30, TimeUnit.SECONDS);
			long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest()))
				.partitionResult(partition)
				.get(30, TimeUnit.SECONDS)
				.offset();
			OffsetAndMetadata offset = committed.get(partition);
			return end - ((offset != null) ? offset.offset() : 0);
		}
	}

	static class Invoicing {

		final List<String> placed = new CopyOnWriteArrayList<>();

		/**
		 * Handles OrderPlaced only; what it emits lands on the topic it reads and is
		 * skipped.
		 */
		@EventHandler(subscription = "invoicing", guarantee = Guarantee.EXACTLY_ONCE)
		OrderShipped onOrderPlaced(OrderPlaced event) {
			this.placed.add(event.orderId());
			return new OrderShipped(event.orderId());
		}

	}

	/**
	 * Counts the transactions the store's producers commit.
	 */
	static class CountingTransactions implements ProducerPostProcessor<String, byte[]> {

		final AtomicInteger commits = new AtomicInteger();

		@Override
		@SuppressWarnings("unchecked")
		public Producer<String, byte[]> apply(Producer<String, byte[]> producer) {
			return (Producer<String, byte[]>) Proxy.newProxyInstance(getClass().getClassLoader(),
					new Class<?>[] { Producer.class }, (proxy, method, args) -> {
						if (method.getName().equals("commitTransaction")) {
							this.commits.incrementAndGet();
						}
						try {
							return method.invoke(producer, args);
						}
						catch (InvocationTargetException ex) {
							throw ex.getCause();
						}
					});
		}

	}

}
