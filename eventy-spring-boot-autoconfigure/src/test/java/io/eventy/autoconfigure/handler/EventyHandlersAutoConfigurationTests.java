package io.eventy.autoconfigure.handler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.autoconfigure.EventyProperties;
import io.eventy.handler.DeadLetter;
import io.eventy.handler.DeadLetters;
import io.eventy.handler.EventHandler;
import io.eventy.handler.HandlerEndpointRegistry;
import io.eventy.handler.RetryPolicy;
import io.eventy.handler.StartPosition;
import io.eventy.handler.SubscriptionCaughtUpEvent;
import io.eventy.handler.ResetTo;
import io.eventy.handler.SubscriptionOptions;
import io.eventy.handler.SubscriptionStatus;
import io.eventy.handler.Subscriptions;
import io.eventy.handler.UnknownSubscriptionException;
import io.eventy.record.BeanValidationPayloadValidator;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.PayloadConverter;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordType;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.store.AppendResult;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import io.eventy.store.postgres.PostgresDeadLetterRetention;
import io.eventy.store.postgres.PostgresDeadLetters;
import io.eventy.store.postgres.PostgresEventStore;
import io.eventy.store.postgres.PostgresStoreSettings;
import io.eventy.store.postgres.PostgresSubscriptionControls;
import io.eventy.store.postgres.PostgresSubscriptionMonitor;
import io.eventy.store.postgres.PostgresSubscriptions;
import jakarta.validation.Validation;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventyHandlersAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EventyHandlersAutoConfiguration.class,
				EventyHandlersHealthContributorAutoConfiguration.class))
		.withUserConfiguration(RecordModel.class);

	private ApplicationContextRunner withDatabase() {
		PGSimpleDataSource dataSource = HandlersTestDatabase.create();
		return this.contextRunner.withBean(DataSource.class, () -> dataSource)
			.withBean(PostgresStoreSettings.class, PostgresStoreSettings::defaults);
	}

	@Test
	void runsHandlersAsPostgresSubscriptionsByDefault() {
		withDatabase().run((context) -> {
			assertThat(context).hasSingleBean(HandlerEndpointRegistry.class)
				.hasSingleBean(PostgresSubscriptions.class)
				.hasSingleBean(PostgresSubscriptionMonitor.class);
			assertThat(context).getBean(DeadLetters.class).isInstanceOf(PostgresDeadLetters.class);
			assertThat(context).getBean(Subscriptions.class).isInstanceOf(PostgresSubscriptionControls.class);
		});
	}

	@Test
	void keepsDeadLettersUntilARetentionIsSet() {
		withDatabase().run((context) -> {
			assertThat(context).doesNotHaveBean(PostgresDeadLetterRetention.class);
			assertThat(context.getBean(EventyProperties.class).getRetention().getDeadLetters()).isNull();
			assertThat(context.getBean(EventyProperties.class).getRetention().getCheckInterval())
				.isEqualTo(Duration.ofHours(1));
		});
	}

	@Test
	void deletesDeadLettersOlderThanTheRetentionAtTheCheckInterval() {
		withDatabase().withPropertyValues("eventy.retention.dead-letters=30d", "eventy.retention.check-interval=10m")
			.run((context) -> {
				assertThat(context).hasSingleBean(PostgresDeadLetterRetention.class);
				assertThat(context.getBean(PostgresDeadLetterRetention.class).isRunning()).isTrue();
				EventyProperties.Retention retention = context.getBean(EventyProperties.class).getRetention();
				assertThat(retention.getDeadLetters()).isEqualTo(Duration.ofDays(30));
				assertThat(retention.getCheckInterval()).isEqualTo(Duration.ofMinutes(10));
			});
	}

	@Test
	void handlerPropertiesDefaultToTheOriginalEventysSettings() {
		withDatabase().run((context) -> assertThat(context.getBean(SubscriptionOptions.class))
			.isEqualTo(new SubscriptionOptions(100, Duration.ofSeconds(1), StartPosition.EARLIEST,
					new RetryPolicy(10, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1)))));
	}

	@Test
	void bindsEveryHandlerProperty() {
		withDatabase()
			.withPropertyValues("eventy.handlers.batch-size=7", "eventy.handlers.poll-interval=3s",
					"eventy.handlers.start-position=latest", "eventy.handlers.retry.max-attempts=4",
					"eventy.handlers.retry.initial-interval=20ms", "eventy.handlers.retry.multiplier=3",
					"eventy.handlers.retry.max-interval=2s")
			.run((context) -> assertThat(context.getBean(SubscriptionOptions.class))
				.isEqualTo(new SubscriptionOptions(7, Duration.ofSeconds(3), StartPosition.LATEST,
						new RetryPolicy(4, Duration.ofMillis(20), 3.0, Duration.ofSeconds(2)))));
	}

	@Test
	void bindsTheSegmentProperties() {
		withDatabase().withBean("projection", Projection.class)
			.withPropertyValues("eventy.handlers.segments=2", "eventy.handlers.subscription-segments[projection.on]=3",
					"eventy.handlers.lease=3s", "eventy.handlers.stall-timeout=5s", "eventy.handlers.instance-id=pod-1")
			.run((context) -> {
				assertThat(context.getBean(PostgresSubscriptions.class).instanceId()).isEqualTo("pod-1");
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				await().atMost(Duration.ofSeconds(10))
					.until(() -> jdbc
						.queryForList(
								"SELECT segment FROM eventy_subscriptions WHERE name = "
										+ "'projection.on' AND owner = 'pod-1' AND segments = 3 ORDER BY segment",
								Integer.class)
						.equals(List.of(0, 1, 2)));
			});
	}

	@Test
	void refusesSegmentsOutOfRange() {
		withDatabase().withPropertyValues("eventy.handlers.segments=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("must be between 1 and 256, was 0"));
	}

	@Test
	void healthIsDownNamingTheCauseWhileASegmentIsStalled() {
		withDatabase().withBean("projection", Projection.class)
			.withPropertyValues("eventy.handlers.stall-timeout=1s", "eventy.handlers.poll-interval=100ms")
			.run((context) -> {
				Projection projection = context.getBean(Projection.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> projection.caughtUp.contains("projection.on"));
				HealthIndicator indicator = context.getBean("eventyHandlersHealthIndicator", HealthIndicator.class);
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				jdbc.execute("ALTER TABLE eventy_records RENAME TO eventy_records_away");
				try {
					await().atMost(Duration.ofSeconds(20))
						.until(() -> !context.getBean(PostgresSubscriptions.class).stalls().isEmpty());
				}
				finally {
					jdbc.execute("ALTER TABLE eventy_records_away RENAME TO eventy_records");
				}
				Health stalled = indicator.health();
				assertThat(stalled.getStatus()).isEqualTo(Status.DOWN);
				@SuppressWarnings("unchecked")
				Map<String, Map<String, Object>> subscriptions = (Map<String, Map<String, Object>>) stalled.getDetails()
					.get("subscriptions");
				assertThat(subscriptions.get("projection.on")).containsEntry("stalled", true)
					.containsKey("stalledSince")
					.hasEntrySatisfying("stallCause", (cause) -> assertThat((String) cause).contains("eventy_records"));
				await().atMost(Duration.ofSeconds(20)).until(() -> indicator.health().getStatus() == Status.UP);
			});
	}

	@Test
	void handlersCanBeSwitchedOff() {
		withDatabase().withPropertyValues("eventy.handlers.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HandlerEndpointRegistry.class)
				.doesNotHaveBean(PostgresSubscriptions.class)
				.doesNotHaveBean(DeadLetters.class));
	}

	@Test
	void handlersAreEnabledWhenTheSwitchIsSetToTrue() {
		withDatabase().withPropertyValues("eventy.handlers.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(PostgresSubscriptions.class));
	}

	@Test
	void runsNoPostgresSubscriptionsWhenRecordsAreOnKafka() {
		withDatabase().withPropertyValues("eventy.store.type=kafka")
			.run((context) -> assertThat(context).hasSingleBean(HandlerEndpointRegistry.class)
				.doesNotHaveBean(PostgresSubscriptions.class)
				.doesNotHaveBean(DeadLetters.class));
	}

	@Test
	void runsNoPostgresSubscriptionsWithoutSpringJdbc() {
		withDatabase().withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
			.run((context) -> assertThat(context).doesNotHaveBean(PostgresSubscriptions.class));
	}

	@Test
	void backsOffFromTheApplicationsOwnBeans() {
		DeadLetters own = new DeadLetters() {
			@Override
			public List<DeadLetter> list(String subscription) {
				return List.of();
			}

			@Override
			public int redrive(String subscription) {
				return 0;
			}

			@Override
			public boolean redrive(String subscription, UUID uuid) {
				return false;
			}

			@Override
			public boolean discard(String subscription, UUID uuid) {
				return false;
			}

			@Override
			public int discard(String subscription) {
				return 0;
			}
		};
		SubscriptionOptions options = SubscriptionOptions.defaults().withBatchSize(3);
		Subscriptions subscriptions = new OwnSubscriptions();
		withDatabase().withBean(DeadLetters.class, () -> own)
			.withBean(SubscriptionOptions.class, () -> options)
			.withBean(Subscriptions.class, () -> subscriptions)
			.run((context) -> {
				assertThat(context).getBean(DeadLetters.class).isSameAs(own);
				assertThat(context).getBean(Subscriptions.class).isSameAs(subscriptions);
				assertThat(context).getBean(SubscriptionOptions.class).isSameAs(options);
			});
	}

	@Test
	void handlesRecordsAndPublishesCaughtUpWhenItReachesTheHead() {
		withDatabase().withBean("projection", Projection.class)
			.withPropertyValues("eventy.handlers.poll-interval=1m")
			.run((context) -> {
				Projection projection = context.getBean(Projection.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> projection.caughtUp.contains("projection.on"));
				context.getBean(EventStore.class).publish(new OrderPlaced("42"));
				await().atMost(Duration.ofSeconds(10)).until(() -> projection.orders.contains("42"));
			});
	}

	@Test
	void usesTheApplicationsTransactionManagerWhenItManagesTheStoresDataSource() {
		DataSource dataSource = HandlersTestDatabase.create();
		DataSourceTransactionManager own = new DataSourceTransactionManager(dataSource);
		assertThat(
				EventyHandlersAutoConfiguration.PostgresSubscriptionsConfiguration.transactionManager(own, dataSource))
			.isSameAs(own);
		assertThat(EventyHandlersAutoConfiguration.PostgresSubscriptionsConfiguration.transactionManager(own,
				HandlersTestDatabase.create()))
			.isNotSameAs(own)
			.isInstanceOf(DataSourceTransactionManager.class);
		assertThat(
				EventyHandlersAutoConfiguration.PostgresSubscriptionsConfiguration.transactionManager(null, dataSource))
			.isInstanceOf(DataSourceTransactionManager.class);
	}

	@Test
	void healthReportsEachSubscriptionsLagAndTheReadHorizon() {
		withDatabase().withBean("projection", Projection.class).run((context) -> {
			Projection projection = context.getBean(Projection.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> projection.caughtUp.contains("projection.on"));
			Health health = context.getBean("eventyHandlersHealthIndicator", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsKeys("subscriptions", "readHorizon");
			@SuppressWarnings("unchecked")
			Map<String, Map<String, Object>> subscriptions = (Map<String, Map<String, Object>>) health.getDetails()
				.get("subscriptions");
			assertThat(subscriptions.get("projection.on")).containsEntry("lag", 0L)
				.containsEntry("deadLetters", 0L)
				.doesNotContainKey("paused");
			@SuppressWarnings("unchecked")
			Map<String, Object> horizon = (Map<String, Object>) health.getDetails().get("readHorizon");
			assertThat(horizon).containsEntry("heldBack", false);
		});
	}

	@Test
	void healthStaysUpAndSaysSoWhileASubscriptionIsPaused() {
		withDatabase().withBean("projection", Projection.class).run((context) -> {
			Projection projection = context.getBean(Projection.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> projection.caughtUp.contains("projection.on"));
			context.getBean(Subscriptions.class).pause("projection.on");
			Health health = context.getBean("eventyHandlersHealthIndicator", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			@SuppressWarnings("unchecked")
			Map<String, Map<String, Object>> subscriptions = (Map<String, Map<String, Object>>) health.getDetails()
				.get("subscriptions");
			assertThat(subscriptions.get("projection.on")).containsEntry("paused", true);
		});
	}

	@Test
	void healthIndicatorCanBeSwitchedOff() {
		withDatabase().withPropertyValues("management.health.eventy-handlers.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("eventyHandlersHealthIndicator"));
	}

	@Test
	void noHealthIndicatorWithoutTheActuator() {
		withDatabase().withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasSingleBean(PostgresSubscriptions.class)
				.doesNotHaveBean("eventyHandlersHealthIndicator"));
	}

	@Test
	void anInvalidHandlerFailsStartupNamingTheMethod() {
		withDatabase().withUserConfiguration(InvalidHandler.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining(InvalidHandler.class.getName() + ".on(String)")
				.hasMessageContaining("use JsonNode to receive the raw data"));
	}

	@RecordType(namespace = "urn:shop")
	record OrderPlaced(String orderId) {
	}

	static class OwnSubscriptions implements Subscriptions {

		@Override
		public List<SubscriptionStatus> list() {
			return List.of();
		}

		@Override
		public SubscriptionStatus get(String name) {
			throw new UnknownSubscriptionException(name);
		}

		@Override
		public void pause(String name) {
		}

		@Override
		public void resume(String name) {
		}

		@Override
		public void reset(String name, ResetTo to) {
		}

		@Override
		public List<String> abandoned() {
			return List.of();
		}

		@Override
		public void forget(String name) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(EventyProperties.class)
	static class RecordModel {

		@Bean
		JacksonPayloadConverter payloadConverter() {
			return new JacksonPayloadConverter(new ObjectMapper());
		}

		@Bean
		RecordFactory recordFactory(PayloadConverter converter) {
			return new RecordFactory(new RecordTypeRegistry("urn:test"), converter,
					new BeanValidationPayloadValidator(Validation.buildDefaultValidatorFactory().getValidator()),
					"urn:test");
		}

		@Bean
		EventStore eventStore(ObjectProvider<DataSource> dataSource, RecordFactory recordFactory) {
			DataSource database = dataSource.getIfAvailable();
			return (database != null)
					? new PostgresEventStore(database, PostgresStoreSettings.defaults(), recordFactory)
					: new ReadOnlyStore();
		}

	}

	static class Projection implements ApplicationListener<SubscriptionCaughtUpEvent> {

		final List<String> orders = new CopyOnWriteArrayList<>();

		final List<String> caughtUp = new CopyOnWriteArrayList<>();

		@EventHandler
		void on(OrderPlaced event) {
			this.orders.add(event.orderId());
		}

		@Override
		public void onApplicationEvent(SubscriptionCaughtUpEvent event) {
			this.caughtUp.add(event.subscription());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InvalidHandler {

		@EventHandler
		void on(String data) {
		}

	}

	static final class ReadOnlyStore implements EventStore {

		@Override
		public AppendResult append(StreamId stream, ExpectedVersion expected, List<?> payloads) {
			throw new UnsupportedOperationException("these handlers store nothing");
		}

		@Override
		public List<StoredRecord> readStream(StreamId stream, long fromVersion) {
			throw new UnsupportedOperationException();
		}

		@Override
		public List<StoredRecord> readCategory(String streamType, long fromPosition, int limit) {
			throw new UnsupportedOperationException();
		}

		@Override
		public List<StoredRecord> readAll(long fromPosition, int limit) {
			throw new UnsupportedOperationException();
		}

		@Override
		public StoredRecord publish(Object payload) {
			throw new UnsupportedOperationException("these handlers store nothing");
		}

		@Override
		public StoredRecord publish(String qualifiedName, Map<String, ?> data) {
			throw new UnsupportedOperationException("these handlers store nothing");
		}

	}

}
