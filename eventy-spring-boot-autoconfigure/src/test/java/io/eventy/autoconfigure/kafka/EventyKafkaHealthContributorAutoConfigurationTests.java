package io.eventy.autoconfigure.kafka;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventy.autoconfigure.EventyAutoConfiguration;
import io.eventy.autoconfigure.handler.EventyHandlersAutoConfiguration;
import io.eventy.autoconfigure.scan.ScannedOrderPlaced;
import io.eventy.handler.EventHandler;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StreamId;
import io.eventy.store.kafka.KafkaSubscriptions;
import io.eventy.testsupport.KafkaTestBroker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventyKafkaHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ValidationAutoConfiguration.class,
				KafkaAutoConfiguration.class, EventyAutoConfiguration.class, EventyHandlersAutoConfiguration.class,
				EventyKafkaAutoConfiguration.class, EventyKafkaHandlersAutoConfiguration.class,
				EventyKafkaHealthContributorAutoConfiguration.class));

	private ApplicationContextRunner onKafka(String service) {
		return this.contextRunner.withPropertyValues("spring.application.name=" + service, "eventy.store.type=kafka",
				"spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers());
	}

	@Test
	void upWithTheClusterAndEachSubscriptionsStateAndLag() {
		onKafka(KafkaTestBroker.uniqueName("orders")).withBean(Slow.class).run((context) -> {
			Slow slow = context.getBean(Slow.class);
			EventStore store = context.getBean(EventStore.class);
			try {
				store.append(StreamId.of("order", "1"), ExpectedVersion.any(), new ScannedOrderPlaced("1", 1));
				await().atMost(KafkaTestBroker.timeout()).until(() -> Long.valueOf(0).equals(lag(context)));
				Health health = health(context);
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsKeys("clusterId", "bootstrapServers").containsEntry("nodes", 1);
				assertThat(subscription(health)).containsEntry("running", true)
					.containsEntry("paused", false)
					.containsEntry("guarantee", "AT_LEAST_ONCE")
					.containsEntry("assignedPartitions", 9);

				slow.blocking = true;
				for (int i = 2; i <= 5; i++) {
					store.append(StreamId.of("order", "1"), ExpectedVersion.any(), new ScannedOrderPlaced("1", i));
				}
				await().atMost(KafkaTestBroker.timeout()).until(() -> slow.calls.get() == 2);
				assertThat(lag(context)).isEqualTo(4L);
				assertThat(health(context).getStatus()).isEqualTo(Status.UP);
			}
			finally {
				slow.release.countDown();
			}
			await().atMost(KafkaTestBroker.timeout()).until(() -> Long.valueOf(0).equals(lag(context)));
		});
	}

	@Test
	void aPausedSubscriptionIsShownPausedAndStaysUp() {
		onKafka(KafkaTestBroker.uniqueName("orders")).withBean(Slow.class).run((context) -> {
			context.getBean(io.eventy.handler.Subscriptions.class).pause("slow");
			Health health = health(context);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(subscription(health)).containsEntry("paused", true).containsEntry("running", true);
		});
	}

	@Test
	void downWithinTheTimeoutWhenTheBrokerIsUnreachable() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		this.contextRunner
			.withPropertyValues("spring.application.name=orders", "eventy.store.type=kafka",
					"spring.kafka.bootstrap-servers=localhost:" + closedPort, "eventy.kafka.create-topics=false",
					"eventy.kafka.health-timeout=500ms", "eventy.handlers.enabled=false")
			.run((context) -> {
				long start = System.nanoTime();
				Health health = health(context);
				Duration took = Duration.ofNanos(System.nanoTime() - start);

				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("bootstrapServers", "localhost:" + closedPort);
				assertThat((String) health.getDetails().get("error")).contains("did not answer within PT0.5S");
				assertThat(took).isLessThan(Duration.ofMillis(1500));
			});
	}

	@Test
	void downWhileTheBrokerIsStoppedAndUpAgainOnceItIsBack() {
		onKafka(KafkaTestBroker.uniqueName("orders")).withPropertyValues("eventy.kafka.health-timeout=1s")
			.withBean(Slow.class)
			.run((context) -> {
				await().atMost(KafkaTestBroker.timeout()).until(() -> health(context).getStatus() == Status.UP);
				KafkaTestBroker.stop();
				try {
					long start = System.nanoTime();
					Health health = health(context);
					Duration took = Duration.ofNanos(System.nanoTime() - start);
					assertThat(health.getStatus()).isEqualTo(Status.DOWN);
					assertThat(health.getDetails()).containsKey("error");
					assertThat(took).isLessThan(Duration.ofSeconds(2));
				}
				finally {
					KafkaTestBroker.start();
				}
				await().atMost(KafkaTestBroker.timeout()).until(() -> health(context).getStatus() == Status.UP);
				assertThat(subscription(health(context))).containsEntry("running", true);
			});
	}

	@Test
	void downWhenASubscriptionsConsumerStoppedWhileTheApplicationRuns() {
		onKafka(KafkaTestBroker.uniqueName("orders")).withBean(Fatal.class).run((context) -> {
			await().atMost(KafkaTestBroker.timeout()).until(() -> health(context).getStatus() == Status.UP);
			// a handler's Error no longer stops a consumer (it is a failure of the call);
			// one of the subscription's consumers stops as one does on a fatal error of
			// its own (an authorization refused, no offset to start from)
			ConcurrentMessageListenerContainer<?, ?> container = ReflectionTestUtils
				.invokeMethod(context.getBean(KafkaSubscriptions.class), "container", "fatal");
			assertThat(container).isNotNull();
			container.getContainers().get(0).stop();

			await().atMost(KafkaTestBroker.timeout()).until(() -> health(context).getStatus() == Status.DOWN);
			Health health = health(context);
			assertThat(health.getDetails()).containsEntry("error",
					"A subscription's consumer stopped; its records are not handled");
			@SuppressWarnings("unchecked")
			Map<String, Map<String, Object>> subscriptions = (Map<String, Map<String, Object>>) health.getDetails()
				.get("subscriptions");
			assertThat(subscriptions.get("fatal")).containsEntry("running", false);
		});
	}

	@Test
	void upWithoutSubscriptionsWhenHandlersAreDisabled() {
		onKafka(KafkaTestBroker.uniqueName("orders")).withPropertyValues("eventy.handlers.enabled=false")
			.run((context) -> {
				Health health = health(context);
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).doesNotContainKey("subscriptions");
			});
	}

	@Test
	void healthIndicatorCanBeSwitchedOff() {
		onKafka(KafkaTestBroker.uniqueName("orders")).withPropertyValues("management.health.eventy-kafka.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("eventyKafkaHealthIndicator"));
	}

	@Test
	void noHealthIndicatorWithoutTheActuator() {
		onKafka(KafkaTestBroker.uniqueName("orders")).withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("eventyKafkaHealthIndicator"));
	}

	@Test
	void noKafkaHealthIndicatorOnThePostgresStore() {
		this.contextRunner.withPropertyValues("spring.application.name=orders", "eventy.store.type=postgres")
			.run((context) -> assertThat(context).doesNotHaveBean("eventyKafkaHealthIndicator"));
	}

	private static Health health(AssertableApplicationContext context) {
		return context.getBean("eventyKafkaHealthIndicator", HealthIndicator.class).health();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> subscription(Health health) {
		Map<String, Map<String, Object>> subscriptions = (Map<String, Map<String, Object>>) health.getDetails()
			.get("subscriptions");
		assertThat(subscriptions).containsOnlyKeys("slow");
		return subscriptions.get("slow");
	}

	private static Long lag(AssertableApplicationContext context) {
		return (Long) subscription(health(context)).get("lag");
	}

	static class Fatal {

		@EventHandler(subscription = "fatal")
		void on(ScannedOrderPlaced order) {
		}

	}

	static class Slow {

		final AtomicInteger calls = new AtomicInteger();

		final CountDownLatch release = new CountDownLatch(1);

		volatile boolean blocking;

		@EventHandler(subscription = "slow")
		void on(ScannedOrderPlaced order) throws InterruptedException {
			this.calls.incrementAndGet();
			if (this.blocking) {
				this.release.await(1, TimeUnit.MINUTES);
			}
		}

	}

}
