package io.eventy.autoconfigure.metrics;

import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.eventy.autoconfigure.EventyAutoConfiguration;
import io.eventy.autoconfigure.EventyService;
import io.eventy.autoconfigure.handler.EventyHandlersAutoConfiguration;
import io.eventy.autoconfigure.kafka.EventyKafkaAutoConfiguration;
import io.eventy.autoconfigure.kafka.EventyKafkaHandlersAutoConfiguration;
import io.eventy.autoconfigure.postgres.EventyPostgresAutoConfiguration;
import io.eventy.autoconfigure.request.EventyRequestsAutoConfiguration;
import io.eventy.autoconfigure.scan.ScannedOrderPlaced;
import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import io.eventy.handler.HandlerObserver;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordKind;
import io.eventy.request.DefaultRequestClient;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.kafka.KafkaSubscriptions;
import io.eventy.store.postgres.PostgresSubscriptions;
import io.eventy.testsupport.KafkaTestBroker;
import io.eventy.testsupport.PostgresTestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.RequiredSearch;
import org.junit.jupiter.api.Test;

import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventyMetricsAutoConfigurationTests {

	private static final String[] RETRY_ONCE = { "eventy.handlers.retry.max-attempts=2",
			"eventy.handlers.retry.initial-interval=10ms", "eventy.handlers.retry.max-interval=50ms" };

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
						SimpleMetricsExportAutoConfiguration.class, JacksonAutoConfiguration.class,
						ValidationAutoConfiguration.class, KafkaAutoConfiguration.class, EventyAutoConfiguration.class,
						EventyPostgresAutoConfiguration.class, EventyHandlersAutoConfiguration.class,
						EventyKafkaAutoConfiguration.class, EventyKafkaHandlersAutoConfiguration.class,
						EventyRequestsAutoConfiguration.class, EventyMetricsAutoConfiguration.class))
		.withPropertyValues("spring.application.name=orders", "eventy.handlers.poll-interval=200ms");

	private ApplicationContextRunner onPostgres() {
		DataSource dataSource = PostgresTestDatabase.newDatabase();
		return this.contextRunner.withBean(DataSource.class, () -> dataSource);
	}

	private ApplicationContextRunner onKafka() {
		return this.contextRunner.withPropertyValues("spring.application.name=" + KafkaTestBroker.uniqueName("orders"),
				"eventy.store.type=kafka", "spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers());
	}

	@Test
	void countsResponsesThatCompleteNoRequestAndGaugesThePendingOnes() {
		onPostgres().run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			DefaultRequestClient client = context.getBean(DefaultRequestClient.class);
			assertThat(registry.get(RequestClientMeters.PENDING).gauge().value()).isZero();
			EventyRecord response = EventyRecord.builder(RecordKind.RESPONSE)
				.namespace("urn:payment")
				.name("PaymentCharged")
				.source("urn:payment")
				.destination("urn:orders")
				.requestUuid(UUID.randomUUID())
				.build();
			assertThat(client.accept(new StoredRecord(response, null, 0, 1, null, null, null,
					context.getBean(RecordFactory.class).converter())))
				.isFalse();
			assertThat(
					registry.get(RequestClientMeters.RESPONSES).tag("outcome", "unmatched").functionCounter().count())
				.isOne();
			assertThat(registry.get(RequestClientMeters.RESPONSES).tag("outcome", "late").functionCounter().count())
				.isZero();
		});
	}

	@Test
	void noMetricsWithoutAMeterRegistry() {
		DataSource dataSource = PostgresTestDatabase.newDatabase();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ValidationAutoConfiguration.class,
					EventyAutoConfiguration.class, EventyPostgresAutoConfiguration.class,
					EventyHandlersAutoConfiguration.class, EventyMetricsAutoConfiguration.class))
			.withPropertyValues("spring.application.name=orders")
			.withBean(DataSource.class, () -> dataSource)
			.run((context) -> assertThat(context).hasSingleBean(PostgresSubscriptions.class)
				.doesNotHaveBean(HandlerObserver.class)
				.doesNotHaveBean(PostgresSubscriptionLagMeters.class));
	}

	@Test
	void noMetricsWithoutMicrometer() {
		onPostgres().withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.withConfiguration(AutoConfigurations.of(EventyMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(HandlerObserver.class)
				.doesNotHaveBean(PostgresSubscriptionLagMeters.class));
	}

	@Test
	void backsOffFromTheApplicationsOwnObserver() {
		HandlerObserver own = new HandlerObserver() {
		};
		onPostgres().withBean(HandlerObserver.class, () -> own)
			.run((context) -> assertThat(context).getBean(HandlerObserver.class).isSameAs(own));
	}

	@Test
	void postgresCountsASuccessAndTimesTheCall() {
		onPostgres().withBean(Succeeding.class).run((context) -> {
			append(context, "1");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> records(registry, "succeeding", "success") == 1);
			assertThat(calls(registry, "succeeding", "success").timer().count()).isOne();
			assertThat(calls(registry, "succeeding", "success").timer().totalTime(TimeUnit.NANOSECONDS)).isPositive();
			assertThat(registry.find(MicrometerHandlerObserver.RECORDS).tag("outcome", "retry").counters()).isEmpty();
		});
	}

	@Test
	void postgresCountsARetryAndTheSuccessAfter() {
		countsARetryAndTheSuccessAfter(onPostgres(),
				(registry) -> assertThat(calls(registry, "failing-once", "success").timer().count()).isOne());
	}

	@Test
	void postgresCountsADeadLetterWhenTheAttemptsAreUsedUp() {
		countsARetryThenADeadLetter(onPostgres(), AlwaysFailing.class, "always-failing",
				(registry) -> assertThat(
						registry.find(MicrometerHandlerObserver.RECORDS).tag("outcome", "success").counters())
					.isEmpty());
	}

	@Test
	void postgresLagGaugeReadsTheRecordsNotHandledWhileTheHandlerIsBlocked() {
		onPostgres().withBean(Blocking.class).run((context) -> {
			Blocking blocking = context.getBean(Blocking.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			try {
				append(context, "1");
				append(context, "2");
				append(context, "3");
				await().atMost(KafkaTestBroker.timeout()).until(() -> blocking.entered.get() == 1);
				await().atMost(KafkaTestBroker.timeout()).until(() -> lag(registry, "blocking") == 3.0);
			}
			finally {
				blocking.release.countDown();
			}
			await().atMost(KafkaTestBroker.timeout()).until(() -> lag(registry, "blocking") == 0.0);
			assertThat(records(registry, "blocking", "success")).isEqualTo(3);
		});
	}

	@Test
	void postgresPositionGaugeReadsTheCheckpointsPosition() {
		onPostgres().withBean(Blocking.class).run((context) -> {
			Blocking blocking = context.getBean(Blocking.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			long last;
			try {
				append(context, "1");
				await().atMost(KafkaTestBroker.timeout()).until(() -> blocking.entered.get() == 1);
				await().atMost(KafkaTestBroker.timeout()).until(() -> position(registry, "blocking") == 0.0);
				append(context, "2");
				last = new JdbcTemplate(context.getBean(DataSource.class))
					.queryForObject("SELECT max(position) FROM eventy_records", Long.class);
			}
			finally {
				blocking.release.countDown();
			}
			await().atMost(KafkaTestBroker.timeout()).until(() -> position(registry, "blocking") == last);
		});
	}

	@Test
	void postgresStallGaugeCountsTheSegmentsThatCannotMove() {
		onPostgres().withBean(Blocking.class).withPropertyValues("eventy.handlers.stall-timeout=1s").run((context) -> {
			context.getBean(Blocking.class).release.countDown();
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(stalled(registry, "blocking")).isZero();
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			jdbc.execute("ALTER TABLE eventy_records RENAME TO eventy_records_away");
			try {
				await().atMost(KafkaTestBroker.timeout()).until(() -> stalled(registry, "blocking") == 1.0);
			}
			finally {
				jdbc.execute("ALTER TABLE eventy_records_away RENAME TO eventy_records");
			}
			await().atMost(KafkaTestBroker.timeout()).until(() -> stalled(registry, "blocking") == 0.0);
		});
	}

	@Test
	void kafkaCountsASuccessAndTimesTheCall() {
		onKafka().withBean(Succeeding.class).run((context) -> {
			assertThat(context).hasSingleBean(KafkaSubscriptions.class);
			append(context, "1");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> records(registry, "succeeding", "success") == 1);
			assertThat(calls(registry, "succeeding", "success").timer().count()).isOne();
		});
	}

	@Test
	void kafkaGaugesTheLagAndPositionOfEachSubscriptionFromItsConsumers() {
		onKafka().withBean(Succeeding.class).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			append(context, "1");
			append(context, "2");
			append(context, "3");
			await().atMost(KafkaTestBroker.timeout())
				.until(() -> registry.get(KafkaSubscriptionProgressMeters.POSITION)
					.tag("subscription", "succeeding")
					.gauge()
					.value() == 3);
			assertThat(
					registry.get(KafkaSubscriptionProgressMeters.LAG).tag("subscription", "succeeding").gauge().value())
				.isZero();
			assertThat(context).doesNotHaveBean(PostgresSubscriptionLagMeters.class);
		});
	}

	@Test
	void kafkaClientsOfTheStoreAndOfEverySubscriptionReportTheirOwnMetrics() {
		onKafka().withBean(Succeeding.class).run((context) -> {
			append(context, "1");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> records(registry, "succeeding", "success") == 1);
			String group = context.getBean(EventyService.class).name() + ".succeeding";
			assertThat(registry.find("kafka.consumer.fetch.manager.records.lag.max").gauges())
				.anySatisfy((gauge) -> assertThat(gauge.getId().getTag("spring.id"))
					.isEqualTo("eventyConsumerFactory." + group + "-0"));
			assertThat(registry.find("kafka.producer.record.send.total").meters())
				.anySatisfy((meter) -> assertThat(meter.getId().getTag("spring.id"))
					.startsWith("eventyProducerFactory.producer-"));
		});
	}

	@Test
	void noKafkaClientMetricsOnPostgres() {
		onPostgres().run((context) -> assertThat(context).doesNotHaveBean("eventyKafkaConsumerMetrics")
			.doesNotHaveBean("eventyKafkaProducerMetrics"));
	}

	@Test
	void kafkaCountsARetryAndTheSuccessAfter() {
		countsARetryAndTheSuccessAfter(onKafka(), (registry) -> {
		});
	}

	@Test
	void kafkaCountsADeadLetterWhenTheAttemptsAreUsedUp() {
		countsARetryThenADeadLetter(onKafka(), AlwaysFailing.class, "always-failing",
				(registry) -> assertThat(
						registry.find(MicrometerHandlerObserver.RECORDS).tag("outcome", "success").counters())
					.isEmpty());
	}

	@Test
	void postgresCountsTheRetryAndDeadLetterOfAnExactlyOnceHandler() {
		countsARetryThenADeadLetter(onPostgres(), AlwaysFailingExactlyOnce.class, "always-failing-exactly-once",
				(registry) -> {
				});
	}

	@Test
	void kafkaCountsTheRetryAndDeadLetterOfAnExactlyOnceHandler() {
		countsARetryThenADeadLetter(onKafka(), AlwaysFailingExactlyOnce.class, "always-failing-exactly-once",
				(registry) -> {
				});
	}

	/**
	 * A handler that fails once, with one retry allowed: a retry, then a success, and no
	 * dead letter.
	 */
	private static void countsARetryAndTheSuccessAfter(ApplicationContextRunner runner, Consumer<MeterRegistry> more) {
		runner.withBean(FailingOnce.class).withPropertyValues(RETRY_ONCE).run((context) -> {
			append(context, "1");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> records(registry, "failing-once", "success") == 1);
			assertThat(records(registry, "failing-once", "retry")).isOne();
			assertThat(calls(registry, "failing-once", "failure").timer().count()).isOne();
			assertThat(registry.find(MicrometerHandlerObserver.RECORDS).tag("outcome", "dead_letter").counters())
				.isEmpty();
			more.accept(registry);
		});
	}

	/**
	 * A handler that always fails, with one retry allowed: a retry, then a dead letter,
	 * after two failed calls.
	 */
	private static void countsARetryThenADeadLetter(ApplicationContextRunner runner, Class<?> handler,
			String subscription, Consumer<MeterRegistry> more) {
		runner.withBean(handler).withPropertyValues(RETRY_ONCE).run((context) -> {
			append(context, "1");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> records(registry, subscription, "dead_letter") == 1);
			assertThat(records(registry, subscription, "retry")).isOne();
			assertThat(calls(registry, subscription, "failure").timer().count()).isEqualTo(2);
			more.accept(registry);
		});
	}

	private static void append(ApplicationContext context, String orderId) {
		context.getBean(EventStore.class)
			.append(StreamId.of("order", orderId), ExpectedVersion.any(), new ScannedOrderPlaced(orderId, 100));
	}

	private static double records(MeterRegistry registry, String subscription, String outcome) {
		var counter = registry.find(MicrometerHandlerObserver.RECORDS)
			.tag("subscription", subscription)
			.tag("outcome", outcome)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static RequiredSearch calls(MeterRegistry registry, String subscription, String outcome) {
		return registry.get(MicrometerHandlerObserver.DURATION)
			.tag("subscription", subscription)
			.tag("outcome", outcome);
	}

	private static double stalled(MeterRegistry registry, String subscription) {
		return registry.get(PostgresSubscriptionStallMeters.STALLED).tag("subscription", subscription).gauge().value();
	}

	private static double position(MeterRegistry registry, String subscription) {
		return registry.get(PostgresSubscriptionLagMeters.POSITION).tag("subscription", subscription).gauge().value();
	}

	private static double lag(MeterRegistry registry, String subscription) {
		return registry.get(PostgresSubscriptionLagMeters.LAG).tag("subscription", subscription).gauge().value();
	}

	static class Succeeding {

		@EventHandler(subscription = "succeeding")
		void on(ScannedOrderPlaced order) {
		}

	}

	static class FailingOnce {

		private final AtomicInteger calls = new AtomicInteger();

		@EventHandler(subscription = "failing-once")
		void on(ScannedOrderPlaced order) {
			if (this.calls.incrementAndGet() == 1) {
				throw new IllegalStateException("first call fails");
			}
		}

	}

	static class AlwaysFailing {

		@EventHandler(subscription = "always-failing")
		void on(ScannedOrderPlaced order) {
			throw new IllegalStateException("every call fails");
		}

	}

	static class AlwaysFailingExactlyOnce {

		@EventHandler(subscription = "always-failing-exactly-once", guarantee = Guarantee.EXACTLY_ONCE)
		void on(ScannedOrderPlaced order) {
			throw new IllegalStateException("every call fails");
		}

	}

	static class Blocking {

		final AtomicInteger entered = new AtomicInteger();

		final CountDownLatch release = new CountDownLatch(1);

		@EventHandler(subscription = "blocking")
		void on(ScannedOrderPlaced order) throws InterruptedException {
			this.entered.incrementAndGet();
			if (!this.release.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("not released");
			}
		}

	}

}
