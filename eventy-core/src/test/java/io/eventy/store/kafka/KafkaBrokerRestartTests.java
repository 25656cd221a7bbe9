package io.eventy.store.kafka;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.eventy.store.ExpectedVersion;
import io.eventy.store.StreamId;
import io.eventy.store.kafka.KafkaTestRecords.OrderPlaced;
import io.eventy.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class KafkaBrokerRestartTests {

	private static final int MAX_APPENDS = 20_000;

	@Test
	void everyAcknowledgedAppendIsReadBackOnceAfterTheBrokerRestartedInTheMiddle() throws Exception {
		List<UUID> acknowledged = new CopyOnWriteArrayList<>();
		List<Throwable> failures = new CopyOnWriteArrayList<>();
		AtomicInteger attempts = new AtomicInteger();
		AtomicInteger afterRestart = new AtomicInteger(-1);
		try (KafkaStoreFixture fixture = new KafkaStoreFixture(io.eventy.record.PayloadValidator.none(), 2)) {
			CompletableFuture<Void> appender = CompletableFuture.runAsync(() -> {
				// append without pause until 20 appends after the restart were
				// acknowledged
				while (afterRestart.get() < 20 && attempts.get() < MAX_APPENDS) {
					int i = attempts.getAndIncrement();
					try {
						acknowledged.add(
								fixture.store
									.append(StreamId.of("order", Integer.toString(i % 7)), ExpectedVersion.any(),
											new OrderPlaced(Integer.toString(i), i))
									.records()
									.get(0)
									.record()
									.uuid());
						afterRestart.getAndUpdate((count) -> (count >= 0) ? count + 1 : count);
					}
					catch (RuntimeException ex) {
						failures.add(ex);
					}
				}
			});
			await().atMost(KafkaTestBroker.timeout()).until(() -> acknowledged.size() >= 20);
			KafkaTestBroker.stop();
			KafkaTestBroker.start();
			afterRestart.set(0);
			appender.get(2, TimeUnit.MINUTES);

			List<ConsumerRecord<String, byte[]>> onTopic = KafkaStoreFixture.readTopic(fixture.topics.events(),
					acknowledged.size());
			Map<UUID, Long> copies = onTopic.stream()
				.map((record) -> fixture.store.mapper().toStoredRecord(record).record().uuid())
				.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
			assertThat(acknowledged).hasSizeGreaterThan(20);
			assertThat(Set.copyOf(acknowledged)).allSatisfy((uuid) -> assertThat(copies.get(uuid)).isEqualTo(1L));
			assertThat(copies.values()).allSatisfy((count) -> assertThat(count).isEqualTo(1L));
			assertThat(acknowledged.size() + failures.size()).isEqualTo(attempts.get());
			assertThat(afterRestart.get()).isGreaterThanOrEqualTo(20);
		}
	}

}
