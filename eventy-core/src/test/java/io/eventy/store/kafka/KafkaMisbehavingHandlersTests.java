package io.eventy.store.kafka;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.handler.DeadLetter;
import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import io.eventy.record.BeanValidationPayloadValidator;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordType;
import io.eventy.record.RecordTypeDescriptor;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StreamId;
import io.eventy.store.kafka.KafkaTestRecords.OrderPlaced;
import io.eventy.store.kafka.KafkaTestRecords.OrderShipped;
import io.eventy.testsupport.KafkaTestBroker;
import io.eventy.testsupport.LogCapture;
import jakarta.validation.Validation;
import jakarta.validation.constraints.NotBlank;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Handlers that misbehave, as each guarantee sees it: a handler that throws an
 * {@link Error} or a checked exception, or leaves its thread interrupted. The
 * subscription never stops: the record is retried a bounded number of times then is a
 * dead letter with a readable reason (or is handled, when the handler returned), the
 * record after it is handled once, and the lines logged about it carry its trace and
 * request ids.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaMisbehavingHandlersTests {

	private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

	private static final List<String> SUBSCRIPTIONS = List.of("at-least-once", "exactly-once", "at-most-once");

	private static final Map<String, Runnable> faults = new ConcurrentHashMap<>();

	private static final Map<String, Object> results = new ConcurrentHashMap<>();

	private static final AtomicInteger sequence = new AtomicInteger();

	private String service;

	private AnnotationConfigApplicationContext context;

	private LogCapture logs;

	@BeforeAll
	void start() {
		this.service = KafkaHandlerContexts.newService(1);
		this.logs = LogCapture.start();
		this.context = KafkaHandlerContexts.start(this.service, AtLeastOnce.class, ExactlyOnce.class, AtMostOnce.class,
				Validating.class);
	}

	@AfterAll
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
		if (this.logs != null) {
			this.logs.close();
		}
		faults.clear();
		results.clear();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("throwing")
	void handlerThatThrowsIsRetriedThenADeadLetterAndTheSubscriptionGoesOn(String fault, Runnable throwing,
			String reason) {
		String bad = "bad-" + sequence.incrementAndGet();
		faults.put(bad, throwing);
		String requestId = "request-" + bad;
		String uuid = append(bad, requestId);
		String good = "good-" + sequence.incrementAndGet();
		append(good, null);

		awaitHandled(good);
		for (String subscription : SUBSCRIPTIONS) {
			int expectedCalls = subscription.equals("at-most-once") ? 1 : 3;
			List<DeadLetter> letters = deadLetters(subscription, bad);
			assertThat(letters).as(subscription).singleElement().satisfies((letter) -> {
				assertThat(letter.lastError()).contains(reason);
				assertThat(letter.attempts()).isEqualTo(expectedCalls);
			});
			assertThat(handler(subscription).calls(bad)).as(subscription).isEqualTo(expectedCalls);
			assertThat(gaveUpLines(subscription, uuid)).as(subscription)
				.singleElement()
				.satisfies((line) -> assertThat(line.getMDCPropertyMap()).containsEntry("traceId", TRACE_ID)
					.containsEntry("requestId", requestId));
		}
		assertRunning();
	}

	@Test
	void handlerThatLeavesItsThreadInterruptedHasItsRecordHandledOnceAndTheSubscriptionGoesOn() {
		String interrupting = "interrupting-" + sequence.incrementAndGet();
		faults.put(interrupting, () -> Thread.currentThread().interrupt());
		append(interrupting, "request-" + interrupting);
		String good = "good-" + sequence.incrementAndGet();
		append(good, null);

		awaitHandled(good);
		String after = "after-" + sequence.incrementAndGet();
		append(after, null);
		awaitHandled(after);
		for (String subscription : SUBSCRIPTIONS) {
			assertThat(handler(subscription).calls(interrupting)).as(subscription).isOne();
			assertThat(deadLetters(subscription, interrupting)).as(subscription).isEmpty();
			assertThat(this.logs.lines(Level.WARN, this.service + "." + subscription + "-")
				.stream()
				.filter((line) -> line.getFormattedMessage().contains("left its thread interrupted"))).as(subscription)
				.singleElement()
				.satisfies((line) -> assertThat(line.getMDCPropertyMap()).containsEntry("traceId", TRACE_ID)
					.containsEntry("requestId", "request-" + interrupting));
		}
		assertRunning();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badResults")
	void handlerWhoseResultCannotBeSentIsRetriedThenADeadLetterAndNothingOfItIsVisible(String fault,
			Function<String, Object> result, String reason) {
		String large = "result-" + sequence.incrementAndGet();
		results.put(large, result.apply(large));
		String uuid = append(large, "request-" + large);
		String good = "good-" + sequence.incrementAndGet();
		append(good, null);

		awaitHandled(good);
		for (String subscription : SUBSCRIPTIONS) {
			int expectedCalls = subscription.equals("at-most-once") ? 1 : 3;
			assertThat(deadLetters(subscription, large)).as(subscription)
				.singleElement()
				.satisfies((letter) -> assertThat(letter.lastError()).contains(reason));
			assertThat(handler(subscription).calls(large)).as(subscription).isEqualTo(expectedCalls);
			assertThat(gaveUpLines(subscription, uuid)).as(subscription)
				.singleElement()
				.satisfies((line) -> assertThat(line.getMDCPropertyMap()).containsEntry("traceId", TRACE_ID)
					.containsEntry("requestId", "request-" + large));
		}
		KafkaRecordMapper mapper = this.context.getBean(KafkaEventStore.class).mapper();
		assertThat(KafkaStoreFixture.readTopic(this.service + "-events", 2)
			.stream()
			.map(mapper::toStoredRecord)
			.filter((record) -> record.record().name().startsWith("Order")
					&& !record.record().name().equals("OrderPlaced")))
			.isEmpty();
		assertRunning();
	}

	@Test
	void handlerSlowerThanTheMaxPollIntervalLosesNoRecordAndExactlyOnceCommitsItsResultOnce() {
		String service = KafkaHandlerContexts.newService(1);
		try (AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(service,
				KafkaHandlerContexts.FAST_RETRIES, false, SlowAtLeastOnce.class, SlowExactlyOnce.class,
				ShortPollInterval.class)) {
			EventStore store = context.getBean(EventStore.class);
			store.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("slow", 1));
			store.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced("next", 2));
			List<Slow> handlers = List.of(context.getBean(SlowAtLeastOnce.class),
					context.getBean(SlowExactlyOnce.class));

			await().atMost(KafkaTestBroker.timeout())
				.until(() -> handlers.stream().allMatch((handler) -> handler.succeeded.contains("next")));
			String after = "after-" + sequence.incrementAndGet();
			store.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced(after, 3));
			await().atMost(KafkaTestBroker.timeout())
				.until(() -> handlers.stream().allMatch((handler) -> handler.succeeded.contains(after)));

			// the consumer left the group during the slow call: its transaction's offset
			// commit fails, and the record is handled again once the consumer rejoined
			assertThat(context.getBean(SlowExactlyOnce.class).calls.get("slow")).isBetween(2, 3);
			assertThat(context.getBean(SlowAtLeastOnce.class).calls.get("slow")).isBetween(1, 3);
			KafkaRecordMapper mapper = context.getBean(KafkaEventStore.class).mapper();
			List<String> shipped = KafkaStoreFixture.readTopic(service + "-events", 8)
				.stream()
				.map(mapper::toStoredRecord)
				.filter((record) -> record.record().name().equals("OrderShipped"))
				.map((record) -> record.payload(OrderShipped.class).orderId())
				.toList();
			assertThat(shipped).containsOnlyOnce("exactly-once:slow", "exactly-once:next", "exactly-once:" + after)
				.contains("at-least-once:slow", "at-least-once:next", "at-least-once:" + after);
			assertThat(context.getBean(KafkaDeadLetters.class).list("exactly-once")).isEmpty();
			assertThat(context.getBean(KafkaSubscriptions.class).status())
				.allSatisfy((status) -> assertThat(status.running()).as(status.subscription()).isTrue());
		}
	}

	static Stream<Arguments> badResults() {
		return Stream.of(
				Arguments.of("too large for a Kafka request",
						(Function<String, Object>) (orderId) -> new OrderShipped(orderId + "x".repeat(1_200_000)),
						"RecordTooLargeException"),
				Arguments.of("not valid", (Function<String, Object>) (orderId) -> new OrderLabelled(orderId, " "),
						"label"));
	}

	static Stream<Arguments> throwing() {
		return Stream.of(Arguments.of("StackOverflowError", (Runnable) () -> recurse(0), "StackOverflowError"),
				Arguments.of("OutOfMemoryError", (Runnable) () -> {
					throw new OutOfMemoryError("test");
				}, "java.lang.OutOfMemoryError: test"), Arguments.of("AssertionError", (Runnable) () -> {
					throw new AssertionError("broken invariant");
				}, "java.lang.AssertionError: broken invariant"),
				Arguments.of("a checked exception thrown sneakily", (Runnable) () -> KafkaMisbehavingHandlersTests
					.<RuntimeException>sneaky(new IOException("disk")), "java.io.IOException: disk"));
	}

	private static int recurse(int depth) {
		return recurse(depth + 1) + 1;
	}

	@SuppressWarnings("unchecked")
	private static <T extends Throwable> void sneaky(Throwable failure) throws T {
		throw (T) failure;
	}

	private String append(String orderId, @Nullable String requestId) {
		EventStore store = this.context.getBean(EventStore.class);
		try (EventyContextHolder.Scope scope = EventyContextHolder.open(EventyContext.of(TRACE_ID, requestId))) {
			return store.append(StreamId.of("order", "1"), ExpectedVersion.any(), new OrderPlaced(orderId, 1))
				.records()
				.get(0)
				.record()
				.uuid()
				.toString();
		}
	}

	private void awaitHandled(String orderId) {
		await().atMost(KafkaTestBroker.timeout())
			.until(() -> SUBSCRIPTIONS.stream().allMatch((subscription) -> handler(subscription).calls(orderId) > 0));
		for (String subscription : SUBSCRIPTIONS) {
			assertThat(handler(subscription).calls(orderId)).as(subscription).isOne();
		}
	}

	private void assertRunning() {
		assertThat(this.context.getBean(KafkaSubscriptions.class).status())
			.allSatisfy((status) -> assertThat(status.running()).as(status.subscription()).isTrue());
	}

	private List<DeadLetter> deadLetters(String subscription, String orderId) {
		return this.context.getBean(KafkaDeadLetters.class)
			.list(subscription)
			.stream()
			.filter((letter) -> letter.readable() && letter.json().contains("\"" + orderId + "\""))
			.toList();
	}

	private List<ILoggingEvent> gaveUpLines(String subscription, String uuid) {
		return this.logs.lines(Level.ERROR, this.service + "." + subscription + "-")
			.stream()
			.filter((line) -> line.getFormattedMessage().contains("gave up on record")
					&& line.getFormattedMessage().contains(uuid))
			.toList();
	}

	private Recorder handler(String subscription) {
		return switch (subscription) {
			case "at-least-once" -> this.context.getBean(AtLeastOnce.class);
			case "exactly-once" -> this.context.getBean(ExactlyOnce.class);
			default -> this.context.getBean(AtMostOnce.class);
		};
	}

	abstract static class Recorder {

		private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

		int calls(String orderId) {
			AtomicInteger count = this.calls.get(orderId);
			return (count != null) ? count.get() : 0;
		}

		@Nullable Object handle(OrderPlaced event) {
			this.calls.computeIfAbsent(event.orderId(), (id) -> new AtomicInteger()).incrementAndGet();
			Runnable fault = faults.get(event.orderId());
			if (fault != null) {
				fault.run();
			}
			return results.get(event.orderId());
		}

	}

	@RecordType(name = "OrderLabelled", namespace = "urn:shop")
	record OrderLabelled(String orderId, @NotBlank String label) {
	}

	/**
	 * Checks payloads with Bean Validation.
	 */
	static class Validating implements PayloadValidator {

		private final PayloadValidator validator = new BeanValidationPayloadValidator(
				Validation.buildDefaultValidatorFactory().getValidator());

		@Override
		public void validate(Object payload, RecordTypeDescriptor descriptor) {
			this.validator.validate(payload, descriptor);
		}

	}

	/**
	 * Sets the consumers' {@code max.poll.interval.ms} lower than a slow handler call.
	 */
	static class ShortPollInterval implements Consumer<KafkaSubscriptions> {

		@Override
		public void accept(KafkaSubscriptions subscriptions) {
			subscriptions.setConsumerFactoryCustomizer(
					(factory) -> factory.updateConfigs(Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 1500)));
		}

	}

	/**
	 * Takes longer than the max poll interval on the first call of order {@code slow}.
	 */
	abstract static class Slow {

		final String subscription;

		final Map<String, Integer> calls = new ConcurrentHashMap<>();

		final List<String> succeeded = new CopyOnWriteArrayList<>();

		Slow(String subscription) {
			this.subscription = subscription;
		}

		OrderShipped handle(OrderPlaced event) throws InterruptedException {
			int call = this.calls.merge(event.orderId(), 1, Integer::sum);
			if (event.orderId().equals("slow") && call == 1) {
				// the misbehaviour under test, not a synchronisation
				Thread.sleep(3000);
			}
			this.succeeded.add(event.orderId());
			return new OrderShipped(this.subscription + ":" + event.orderId());
		}

	}

	static class SlowAtLeastOnce extends Slow {

		SlowAtLeastOnce() {
			super("at-least-once");
		}

		@EventHandler(subscription = "at-least-once")
		OrderShipped onOrderPlaced(OrderPlaced event) throws InterruptedException {
			return handle(event);
		}

	}

	static class SlowExactlyOnce extends Slow {

		SlowExactlyOnce() {
			super("exactly-once");
		}

		@EventHandler(subscription = "exactly-once", guarantee = Guarantee.EXACTLY_ONCE)
		OrderShipped onOrderPlaced(OrderPlaced event) throws InterruptedException {
			return handle(event);
		}

	}

	static class AtLeastOnce extends Recorder {

		@EventHandler(subscription = "at-least-once")
		@Nullable Object onOrderPlaced(OrderPlaced event) {
			return handle(event);
		}

	}

	static class ExactlyOnce extends Recorder {

		@EventHandler(subscription = "exactly-once", guarantee = Guarantee.EXACTLY_ONCE)
		@Nullable Object onOrderPlaced(OrderPlaced event) {
			return handle(event);
		}

	}

	static class AtMostOnce extends Recorder {

		@EventHandler(subscription = "at-most-once", guarantee = Guarantee.AT_MOST_ONCE)
		@Nullable Object onOrderPlaced(OrderPlaced event) {
			return handle(event);
		}

	}

}
