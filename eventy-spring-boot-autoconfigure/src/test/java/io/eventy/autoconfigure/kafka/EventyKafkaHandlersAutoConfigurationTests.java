package io.eventy.autoconfigure.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.autoconfigure.EventyAutoConfiguration;
import io.eventy.autoconfigure.StartupFailures;
import io.eventy.autoconfigure.handler.EventyHandlersAutoConfiguration;
import io.eventy.autoconfigure.scan.ScannedOrderPlaced;
import io.eventy.handler.DeadLetters;
import io.eventy.handler.EventHandler;
import io.eventy.handler.RetryPolicy;
import io.eventy.handler.StartPosition;
import io.eventy.handler.SubscriptionOptions;
import io.eventy.record.EventyRecord;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.serializer.JsonRecordSerializer;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StreamId;
import io.eventy.store.kafka.KafkaDeadLetters;
import io.eventy.store.kafka.KafkaSubscriptionSettings;
import io.eventy.store.kafka.KafkaSubscriptions;
import io.eventy.store.kafka.KafkaEventStore;
import io.eventy.store.kafka.KafkaTopicInitializer;
import io.eventy.store.kafka.KafkaTopics;
import io.eventy.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.apache.kafka.common.config.ConfigResource;
import io.eventy.handler.SubscriptionState;
import io.eventy.handler.Subscriptions;
import io.eventy.store.kafka.KafkaSubscriptionControl;
import io.eventy.store.kafka.KafkaSubscriptionOperations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventyKafkaHandlersAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ValidationAutoConfiguration.class,
				KafkaAutoConfiguration.class, EventyAutoConfiguration.class, EventyHandlersAutoConfiguration.class,
				EventyKafkaAutoConfiguration.class, EventyKafkaHandlersAutoConfiguration.class));

	private ApplicationContextRunner onKafka(String service) {
		return this.contextRunner.withPropertyValues("spring.application.name=" + service, "eventy.store.type=kafka",
				"spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers());
	}

	@Test
	void runsEventHandlersOnKafka() {
		String service = KafkaTestBroker.uniqueName("orders");
		onKafka(service).withBean(Billing.class).run((context) -> {
			assertThat(context).hasSingleBean(KafkaSubscriptions.class);
			context.getBean(EventStore.class)
				.append(StreamId.of("order", "1"), ExpectedVersion.any(), new ScannedOrderPlaced("1", 100));
			Billing billing = context.getBean(Billing.class);
			await().atMost(KafkaTestBroker.timeout()).until(() -> billing.billed.size() == 1);
			assertThat(billing.billed).containsExactly(new ScannedOrderPlaced("1", 100));
		});
	}

	@Test
	void appliesTheEventyFactoryCustomizersToTheStoresProducerAndEverySubscriptionsConsumers() {
		String service = KafkaTestBroker.uniqueName("orders");
		List<Object> consumerGroups = new CopyOnWriteArrayList<>();
		List<Object> producers = new CopyOnWriteArrayList<>();
		onKafka(service).withBean(Billing.class)
			.withBean(EventyKafkaConsumerFactoryCustomizer.class,
					() -> (factory) -> consumerGroups
						.add(factory.getConfigurationProperties().get(ConsumerConfig.GROUP_ID_CONFIG)))
			.withBean(EventyKafkaProducerFactoryCustomizer.class,
					() -> (factory) -> producers.add(factory.getTransactionIdPrefix()))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(producers).singleElement().asString().startsWith("eventy-" + service);
				await().atMost(KafkaTestBroker.timeout()).until(() -> !consumerGroups.isEmpty());
				assertThat(consumerGroups).containsExactly(service + ".billing");
			});
	}

	@Test
	void subscriptionsTakeTheListenerSettingsOfSpringBootAndKeepTheirOwnGuarantees() {
		String service = KafkaTestBroker.uniqueName("orders");
		onKafka(service).withBean(Billing.class)
			.withPropertyValues("spring.kafka.listener.concurrency=2", "spring.kafka.listener.ack-mode=record",
					"spring.kafka.listener.poll-timeout=9s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaTestBroker.bootstrapServers()))) {
					// two consumers of this instance share the group's partitions
					await().atMost(KafkaTestBroker.timeout())
						.until(() -> admin.describeConsumerGroups(List.of(service + ".billing"))
							.all()
							.get(30, TimeUnit.SECONDS)
							.get(service + ".billing")
							.members()
							.size() == 2);
				}
				context.getBean(EventStore.class)
					.append(StreamId.of("order", "1"), ExpectedVersion.any(), new ScannedOrderPlaced("1", 100));
				Billing billing = context.getBean(Billing.class);
				await().atMost(KafkaTestBroker.timeout()).until(() -> billing.billed.size() == 1);
			});
	}

	@Test
	void subscriptionsArePausedAndResumedThroughTheControlTopicOfTheService() {
		String service = KafkaTestBroker.uniqueName("orders");
		onKafka(service).withBean(Billing.class).run((context) -> {
			assertThat(context).getBean(Subscriptions.class).isInstanceOf(KafkaSubscriptionOperations.class);
			assertThat(context.getBean(KafkaSubscriptionControl.class).topic()).isEqualTo(service + "-control");
			try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaTestBroker.bootstrapServers()))) {
				ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, service + "-control");
				// described once every broker's metadata has the topic just created
				String cleanupPolicy = await().atMost(KafkaTestBroker.timeout())
					.ignoreExceptions()
					.until(() -> admin.describeConfigs(List.of(topic))
						.all()
						.get(30, TimeUnit.SECONDS)
						.get(topic)
						.get("cleanup.policy")
						.value(), Objects::nonNull);
				assertThat(cleanupPolicy).isEqualTo("compact");
			}
			Subscriptions subscriptions = context.getBean(Subscriptions.class);
			subscriptions.pause("billing");
			assertThat(subscriptions.get("billing").state()).isEqualTo(SubscriptionState.PAUSED);
			subscriptions.resume("billing");
			assertThat(subscriptions.get("billing").state()).isNotEqualTo(SubscriptionState.PAUSED);
		});
	}

	@Test
	void subscriptionsBackOffFromTheApplicationsOwn() {
		Subscriptions own = new OwnSubscriptions();
		onKafka(KafkaTestBroker.uniqueName("orders")).withBean(Subscriptions.class, () -> own)
			.run((context) -> assertThat(context).getBean(Subscriptions.class).isSameAs(own));
	}

	@Test
	void deadLettersAreOnKafka() {
		onKafka(KafkaTestBroker.uniqueName("orders"))
			.run((context) -> assertThat(context).getBean(DeadLetters.class).isInstanceOf(KafkaDeadLetters.class));
	}

	@Test
	void subscriptionsAreConsumerGroupsOfTheServiceOnItsTopicsWithTheHandlersSettings() {
		String service = KafkaTestBroker.uniqueName("orders");
		onKafka(service)
			.withPropertyValues("eventy.handlers.batch-size=7", "eventy.handlers.poll-interval=300ms",
					"eventy.handlers.start-position=latest", "eventy.handlers.retry.max-attempts=4",
					"eventy.handlers.retry.initial-interval=10ms", "eventy.handlers.retry.multiplier=3",
					"eventy.handlers.retry.max-interval=2s")
			.run((context) -> {
				KafkaSubscriptionSettings settings = context.getBean(KafkaSubscriptionSettings.class);
				assertThat(settings.groupId("billing")).isEqualTo(service + ".billing");
				assertThat(settings.topics()).containsExactly(service + "-events", service + "-requests",
						service + "-responses");
				assertThat(settings.options()).isEqualTo(new SubscriptionOptions(7, Duration.ofMillis(300),
						StartPosition.LATEST, new RetryPolicy(4, Duration.ofMillis(10), 3.0, Duration.ofSeconds(2))));
			});
	}

	@Test
	void everySubscriptionReadsTheSubscribeTopicsOfOtherServicesWithoutCreatingThem() {
		String shop = KafkaTestBroker.uniqueName("shop");
		String missing = KafkaTestBroker.uniqueName("crm") + "-events";
		String billing = KafkaTestBroker.uniqueName("billing");
		new KafkaTopicInitializer(KafkaTestBroker.adminProperties(), KafkaTopics.forService(shop), 1, null,
				Duration.ofSeconds(30))
			.initialize();
		onKafka(billing).withPropertyValues("eventy.kafka.subscribe-topics=" + shop + "-events," + missing)
			.withBean(Billing.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(KafkaSubscriptionSettings.class).subscribeTopics())
					.containsExactly(shop + "-events", missing);
				try (KafkaEventStore shopStore = shopStore(shop)) {
					shopStore.append(StreamId.of("order", "9"), ExpectedVersion.any(),
							new ScannedOrderPlaced("9", 900));
				}
				Billing billingHandler = context.getBean(Billing.class);
				await().atMost(KafkaTestBroker.timeout()).until(() -> billingHandler.billed.size() == 1);
				assertThat(billingHandler.billed).containsExactly(new ScannedOrderPlaced("9", 900));
				assertThat(billingHandler.sources).containsExactly("urn:" + shop);
				try (Admin admin = Admin.create(KafkaTestBroker.adminProperties())) {
					assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(billing + "-events")
						.doesNotContain(missing, missing + ".DLT");
				}
			});
	}

	@Test
	void subscribeTopicThatIsNoTopicNameFailsNamingTheProperty() {
		onKafka(KafkaTestBroker.uniqueName("orders")).withPropertyValues("eventy.kafka.subscribe-topics=shop events")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(StartupFailures.messages(context.getStartupFailure()))
					.contains("eventy.kafka.subscribe-topics")
					.contains("must be a Kafka topic name");
			});
	}

	@Test
	void runsNoSubscriptionWhenHandlersAreDisabled() {
		onKafka(KafkaTestBroker.uniqueName("orders")).withPropertyValues("eventy.handlers.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaSubscriptions.class)
				.doesNotHaveBean(DeadLetters.class));
	}

	@Test
	void runsNoKafkaSubscriptionOnThePostgresStore() {
		this.contextRunner.withPropertyValues("spring.application.name=orders", "eventy.store.type=postgres")
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaSubscriptions.class));
	}

	/**
	 * A Kafka store of another service, writing its own topics.
	 */
	static KafkaEventStore shopStore(String shop) {
		RecordFactory factory = new RecordFactory(new RecordTypeRegistry("urn:" + shop),
				new JacksonPayloadConverter(new ObjectMapper()), PayloadValidator.none(), "urn:" + shop);
		return new KafkaEventStore(KafkaEventStore.producerFactory(KafkaTestBroker.producerProperties(), shop + "-tx-"),
				KafkaTopics.forService(shop), factory, new JsonRecordSerializer(new ObjectMapper()));
	}

	static class Billing {

		final List<ScannedOrderPlaced> billed = new CopyOnWriteArrayList<>();

		final List<String> sources = new CopyOnWriteArrayList<>();

		@EventHandler(subscription = "billing")
		void bill(ScannedOrderPlaced order, EventyRecord record) {
			this.billed.add(order);
			this.sources.add(record.source());
		}

	}

	static class OwnSubscriptions implements Subscriptions {

		@Override
		public List<io.eventy.handler.SubscriptionStatus> list() {
			return List.of();
		}

		@Override
		public io.eventy.handler.SubscriptionStatus get(String name) {
			throw new io.eventy.handler.UnknownSubscriptionException(name);
		}

		@Override
		public void pause(String name) {
		}

		@Override
		public void resume(String name) {
		}

		@Override
		public void reset(String name, io.eventy.handler.ResetTo to) {
		}

		@Override
		public List<String> abandoned() {
			return List.of();
		}

		@Override
		public void forget(String name) {
		}

	}

}
