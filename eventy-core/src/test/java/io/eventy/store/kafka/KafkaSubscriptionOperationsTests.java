package io.eventy.store.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import io.eventy.handler.ResetTo;
import io.eventy.handler.SubscriptionState;
import io.eventy.handler.SubscriptionStatus;
import io.eventy.handler.SubscriptionStatus.Checkpoint;
import io.eventy.handler.UnknownSubscriptionException;
import io.eventy.store.EventStore;
import io.eventy.store.kafka.KafkaTestRecords.OrderPlaced;
import io.eventy.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link KafkaSubscriptionOperations} on a real broker, with several instances
 * of a service as application contexts.
 */
class KafkaSubscriptionOperationsTests {

	@Test
	void statusListsEachSubscriptionWithItsPartitionsCheckpointsLagAndOwners() {
		String service = KafkaHandlerContexts.newService(2);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Recording.class,
				Witness.class)) {
			append(context, 0, 6);
			await().atMost(KafkaTestBroker.timeout()).until(() -> context.getBean(Recording.class).placed.size() == 6);
			KafkaSubscriptionOperations operations = context.getBean(KafkaSubscriptionOperations.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> operations.get("recording").lag() == 0);

			List<SubscriptionStatus> all = operations.list();
			assertThat(all).extracting(SubscriptionStatus::name).containsExactly("recording", "witness");
			SubscriptionStatus status = operations.get("recording");
			assertThat(status.store()).isEqualTo("kafka");
			assertThat(status.guarantee()).isEqualTo(Guarantee.AT_LEAST_ONCE);
			// events, requests and responses: two partitions each
			assertThat(status.segments()).isEqualTo(6);
			assertThat(status.checkpoints()).extracting(Checkpoint::part)
				.contains(service + "-events-0", service + "-events-1");
			assertThat(status.checkpoints())
				.allSatisfy((checkpoint) -> assertThat(checkpoint.owner()).startsWith(service + ".recording"));
			long events = status.checkpoints()
				.stream()
				.filter((checkpoint) -> checkpoint.part().startsWith(service + "-events-"))
				.mapToLong(Checkpoint::position)
				.sum();
			assertThat(events).isEqualTo(6);
			assertThat(status.state()).isEqualTo(SubscriptionState.RUNNING);
			assertThat(status.rate()).isPositive();
			assertThat(status.deadLetters()).isZero();
			assertThat(status.lastError()).isNull();
		}
	}

	@Test
	void failuresShowAsLastErrorAndDeadLetters() {
		String service = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Recording.class)) {
			context.getBean(EventStore.class).publish(new OrderPlaced("bad", -1));
			KafkaSubscriptionOperations operations = context.getBean(KafkaSubscriptionOperations.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> operations.get("recording").deadLetters() == 1);

			SubscriptionStatus status = operations.get("recording");
			assertThat(status.lastError()).isEqualTo("java.lang.IllegalArgumentException: negative amount");
			assertThat(status.lastErrorAt()).isNotNull();
		}
	}

	@Test
	void aRecordFailingForLongerThanTheStallTimeoutStallsItsSubscription() {
		String service = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service,
				new io.eventy.handler.RetryPolicy(1000, Duration.ofMillis(50), 1.0, Duration.ofMillis(50)), false,
				Map.of("recording", new Recording()))) {
			KafkaSubscriptionOperations operations = context.getBean(KafkaSubscriptionOperations.class);
			operations.setStallTimeout(Duration.ofMillis(300));
			context.getBean(EventStore.class).publish(new OrderPlaced("bad", -1));

			await().atMost(KafkaTestBroker.timeout())
				.until(() -> operations.get("recording").state() == SubscriptionState.STALLED);
			assertThat(operations.get("recording").lastError()).contains("negative amount");
		}
	}

	@Test
	void unknownSubscriptionsAreRefused() {
		String service = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Recording.class)) {
			KafkaSubscriptionOperations operations = context.getBean(KafkaSubscriptionOperations.class);
			assertThatExceptionOfType(UnknownSubscriptionException.class).isThrownBy(() -> operations.get("nope"));
			assertThatExceptionOfType(UnknownSubscriptionException.class).isThrownBy(() -> operations.pause("nope"));
			assertThatExceptionOfType(UnknownSubscriptionException.class)
				.isThrownBy(() -> operations.reset("nope", ResetTo.earliest()));
		}
	}

	@Test
	void brokerThatDoesNotAnswerGivesAStatusOfUnknownLag() {
		String service = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Recording.class);
				KafkaSubscriptionOperations unreachable = new KafkaSubscriptionOperations(
						context.getBean(KafkaSubscriptions.class), context.getBean(KafkaDeadLetters.class),
						Map.of("bootstrap.servers", "localhost:1"), Duration.ofMillis(500))) {
			SubscriptionStatus status = unreachable.get("recording");
			assertThat(status.lag()).isEqualTo(-1);
			assertThat(status.checkpoints()).isEmpty();
			assertThat(status.deadLetters()).isEqualTo(-1);
			assertThat(status.state()).isEqualTo(SubscriptionState.RUNNING);
		}
	}

	@Test
	void pauseStopsHandlingOnEveryInstanceAndSurvivesARestartUntilResumed() {
		String service = KafkaHandlerContexts.newService(2);
		try (AnnotationConfigApplicationContext first = KafkaHandlerContexts.start(service, Recording.class,
				Witness.class)) {
			KafkaSubscriptionOperations operations = first.getBean(KafkaSubscriptionOperations.class);
			AnnotationConfigApplicationContext second = KafkaHandlerContexts.start(service, Recording.class,
					Witness.class);
			int witnessedBySecond;
			try {
				operations.pause("recording");
				awaitPaused(first);
				awaitPaused(second);
				assertThat(operations.get("recording").state()).isEqualTo(SubscriptionState.PAUSED);
				append(first, 0, 10);
				// the other subscription handles them meanwhile
				await().atMost(KafkaTestBroker.timeout()).until(() -> witnessed(first, second) == 10);
				assertThat(placed(first, second)).isZero();
				witnessedBySecond = witnessed(second);
			}
			finally {
				second.close();
			}
			try (AnnotationConfigApplicationContext restarted = KafkaHandlerContexts.start(service, Recording.class,
					Witness.class)) {
				assertThat(first.getBean(KafkaSubscriptions.class).container("recording").isPauseRequested()).isTrue();
				assertThat(restarted.getBean(KafkaSubscriptions.class).container("recording").isPauseRequested())
					.isTrue();
				append(first, 10, 5);
				await().atMost(KafkaTestBroker.timeout())
					.until(() -> witnessedBySecond + witnessed(first, restarted) == 15);
				assertThat(placed(first, restarted)).isZero();

				operations.resume("recording");
				await().atMost(KafkaTestBroker.timeout()).until(() -> placed(first, restarted) == 15);
				assertThat(operations.get("recording").state()).isNotEqualTo(SubscriptionState.PAUSED);
			}
		}
	}

	@Test
	void resetToEarliestReplaysWhileTwoInstancesRun() {
		String service = KafkaHandlerContexts.newService(2);
		try (AnnotationConfigApplicationContext first = KafkaHandlerContexts.start(service, Recording.class);
				AnnotationConfigApplicationContext second = KafkaHandlerContexts.start(service, Recording.class)) {
			append(first, 0, 8);
			await().atMost(KafkaTestBroker.timeout()).until(() -> placed(first, second) == 8);
			KafkaSubscriptionOperations operations = second.getBean(KafkaSubscriptionOperations.class);

			operations.reset("recording", ResetTo.earliest());

			await().atMost(KafkaTestBroker.timeout()).until(() -> placed(first, second) == 16);
			assertThat(first.getBean(KafkaSubscriptions.class).container("recording").isRunning()).isTrue();
			assertThat(second.getBean(KafkaSubscriptions.class).container("recording").isRunning()).isTrue();
			append(first, 8, 1);
			await().atMost(KafkaTestBroker.timeout()).until(() -> placed(first, second) == 17);
		}
	}

	@Test
	void resetToLatestSkipsTheRecordsNotHandledYet() {
		String service = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Recording.class)) {
			KafkaSubscriptionOperations operations = context.getBean(KafkaSubscriptionOperations.class);
			operations.pause("recording");
			awaitPaused(context);
			append(context, 0, 5);

			operations.reset("recording", ResetTo.latest());
			// still paused after its container started again
			ConcurrentMessageListenerContainer<String, byte[]> container = context.getBean(KafkaSubscriptions.class)
				.container("recording");
			await().atMost(KafkaTestBroker.timeout()).until(container::isRunning);
			awaitPaused(context);
			assertThat(operations.get("recording").state()).isEqualTo(SubscriptionState.PAUSED);
			operations.resume("recording");
			append(context, 100, 1);

			Recording recording = context.getBean(Recording.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> recording.placed.size() == 1);
			assertThat(recording.placed).extracting(OrderPlaced::amountCents).containsExactly(100L);
		}
	}

	@Test
	void resetToATimeHandlesTheRecordsStoredFromThenOn() {
		String service = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Recording.class)) {
			append(context, 0, 3);
			Instant between = Instant.now().plusMillis(1);
			await().atMost(KafkaTestBroker.timeout()).until(() -> Instant.now().isAfter(between));
			append(context, 3, 2);
			Recording recording = context.getBean(Recording.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> recording.placed.size() == 5);

			context.getBean(KafkaSubscriptionOperations.class).reset("recording", ResetTo.time(between));

			await().atMost(KafkaTestBroker.timeout()).until(() -> recording.placed.size() == 7);
			assertThat(recording.placed.subList(5, 7)).extracting(OrderPlaced::amountCents).containsExactly(3L, 4L);
		}
	}

	@Test
	void resetToAPositionHoldsItWithinEachPartition() {
		String service = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Recording.class)) {
			append(context, 0, 5);
			Recording recording = context.getBean(Recording.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> recording.placed.size() == 5);
			KafkaSubscriptionOperations operations = context.getBean(KafkaSubscriptionOperations.class);

			operations.reset("recording", ResetTo.position(3));

			await().atMost(KafkaTestBroker.timeout()).until(() -> recording.placed.size() == 7);
			assertThat(recording.placed.subList(5, 7)).extracting(OrderPlaced::amountCents).containsExactly(3L, 4L);
			assertThat(operations.get("recording").checkpoints()).filteredOn((c) -> c.part().endsWith("-responses-0"))
				.singleElement()
				.satisfies((checkpoint) -> assertThat(checkpoint.position()).isZero());
		}
	}

	@Test
	void resetThatCannotEmptyTheGroupChangesNothingAndStartsTheSubscriptionAgain() {
		String service = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Recording.class)) {
			append(context, 0, 3);
			Recording recording = context.getBean(Recording.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> recording.placed.size() == 3);
			KafkaSubscriptionOperations operations = context.getBean(KafkaSubscriptionOperations.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> operations.get("recording").lag() == 0);
			operations.setResetTimeout(Duration.ofSeconds(2));
			// a member of the group that does not read the control topic
			try (KafkaConsumer<String, byte[]> stranger = groupMember(service + ".recording")) {
				stranger.subscribe(List.of(service + "-requests"));
				await().atMost(KafkaTestBroker.timeout()).until(() -> {
					stranger.poll(Duration.ofMillis(100));
					return !stranger.assignment().isEmpty();
				});

				assertThatIllegalStateException().isThrownBy(() -> operations.reset("recording", ResetTo.earliest()))
					.withMessageContaining("still had members")
					.withMessageContaining("its offsets were left as they were");
			}
			ConcurrentMessageListenerContainer<String, byte[]> container = context.getBean(KafkaSubscriptions.class)
				.container("recording");
			await().atMost(KafkaTestBroker.timeout()).until(container::isRunning);
			append(context, 3, 1);
			await().atMost(KafkaTestBroker.timeout()).until(() -> recording.placed.size() == 4);
			assertThat(recording.placed).extracting(OrderPlaced::amountCents).containsExactly(0L, 1L, 2L, 3L);
		}
	}

	@Test
	void abandonedSubscriptionsAreGroupsOfTheServiceWithoutMembersAndCanBeForgotten() throws Exception {
		String service = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service, Recording.class)) {
			TopicPartition events = new TopicPartition(service + "-events", 0);
			try (KafkaConsumer<String, byte[]> old = groupMember(service + ".old");
					KafkaConsumer<String, byte[]> oldDeadLetters = groupMember(service + ".old.dead-letters");
					KafkaConsumer<String, byte[]> active = groupMember(service + ".elsewhere")) {
				old.assign(List.of(events));
				old.commitSync(Map.of(events, new OffsetAndMetadata(0)));
				oldDeadLetters.assign(List.of(events));
				oldDeadLetters.commitSync(Map.of(events, new OffsetAndMetadata(0)));
				active.subscribe(List.of(service + "-requests"));
				await().atMost(KafkaTestBroker.timeout()).until(() -> {
					active.poll(Duration.ofMillis(100));
					return !active.assignment().isEmpty();
				});
				KafkaSubscriptionOperations operations = context.getBean(KafkaSubscriptionOperations.class);

				assertThat(operations.abandoned()).containsExactly("old");
				assertThatIllegalStateException().isThrownBy(() -> operations.forget("recording"))
					.withMessageContaining("is a subscription of this service");
				assertThatIllegalStateException().isThrownBy(() -> operations.forget("elsewhere"))
					.withMessageContaining("runs in another instance");

				operations.forget("old");

				assertThat(operations.abandoned()).isEmpty();
				try (Admin admin = Admin.create(KafkaTestBroker.adminProperties())) {
					assertThat(admin.listConsumerGroupOffsets(service + ".old.dead-letters")
						.partitionsToOffsetAndMetadata()
						.get(30, TimeUnit.SECONDS)).isEmpty();
				}
			}
		}
	}

	private static KafkaConsumer<String, byte[]> groupMember(String group) {
		Map<String, Object> properties = new HashMap<>(KafkaTestBroker.consumerProperties());
		properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		return new KafkaConsumer<>(properties, new org.apache.kafka.common.serialization.StringDeserializer(),
				new org.apache.kafka.common.serialization.ByteArrayDeserializer());
	}

	private static void awaitPaused(AnnotationConfigApplicationContext context) {
		KafkaSubscriptions subscriptions = context.getBean(KafkaSubscriptions.class);
		await().atMost(KafkaTestBroker.timeout()).until(() -> {
			ConcurrentMessageListenerContainer<String, byte[]> container = subscriptions.container("recording");
			return container != null && container.isContainerPaused();
		});
	}

	private static void append(AnnotationConfigApplicationContext context, int from, int count) {
		EventStore store = context.getBean(EventStore.class);
		for (int i = from; i < from + count; i++) {
			store.append(io.eventy.store.StreamId.of("order", Integer.toString(i)),
					io.eventy.store.ExpectedVersion.any(), new OrderPlaced(Integer.toString(i), i));
		}
	}

	private static int placed(AnnotationConfigApplicationContext... contexts) {
		int placed = 0;
		for (AnnotationConfigApplicationContext context : contexts) {
			placed += context.getBean(Recording.class).placed.size();
		}
		return placed;
	}

	private static int witnessed(AnnotationConfigApplicationContext... contexts) {
		int witnessed = 0;
		for (AnnotationConfigApplicationContext context : contexts) {
			witnessed += context.getBean(Witness.class).placed.size();
		}
		return witnessed;
	}

	static class Recording {

		final List<OrderPlaced> placed = new CopyOnWriteArrayList<>();

		@EventHandler(subscription = "recording")
		void onOrderPlaced(OrderPlaced event) {
			if (event.amountCents() < 0) {
				throw new IllegalArgumentException("negative amount");
			}
			this.placed.add(event);
		}

	}

	static class Witness {

		final List<OrderPlaced> placed = new CopyOnWriteArrayList<>();

		@EventHandler(subscription = "witness")
		void onOrderPlaced(OrderPlaced event) {
			this.placed.add(event);
		}

	}

}
