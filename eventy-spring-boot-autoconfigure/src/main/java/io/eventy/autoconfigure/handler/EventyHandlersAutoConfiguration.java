package io.eventy.autoconfigure.handler;

import java.lang.reflect.Method;
import java.time.Duration;

import javax.sql.DataSource;

import io.eventy.autoconfigure.EventyProperties;
import io.eventy.handler.DeadLetters;
import io.eventy.handler.EnableEventHandlers;
import io.eventy.handler.HandlerEndpointRegistry;
import io.eventy.handler.HandlerObserver;
import io.eventy.handler.RetryPolicy;
import io.eventy.handler.StartPosition;
import io.eventy.handler.SubscriptionOptions;
import io.eventy.handler.Subscriptions;
import io.eventy.record.PayloadConverter;
import io.eventy.store.postgres.PostgresDeadLetterRetention;
import io.eventy.store.postgres.PostgresDeadLetters;
import io.eventy.store.postgres.PostgresStoreSettings;
import io.eventy.store.postgres.PostgresSubscriptionControls;
import io.eventy.store.postgres.PostgresSubscriptionMonitor;
import io.eventy.store.postgres.PostgresSubscriptionOptions;
import io.eventy.store.postgres.PostgresSubscriptions;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.ResourceTransactionManager;
import org.springframework.util.ReflectionUtils;

/**
 * Auto-configuration of {@code @EventHandler} methods: discovers them (as
 * {@link EnableEventHandlers} does) and, on the PostgreSQL store, runs each as a durable
 * subscription ({@link PostgresSubscriptions}) with the {@code eventy.handlers.*}
 * settings, and defines the {@link DeadLetters}, the {@link Subscriptions} that operate
 * them ({@link PostgresSubscriptionControls}) and a {@link PostgresSubscriptionMonitor}
 * ({@link EventyHandlersHealthContributorAutoConfiguration} adds a health indicator),
 * and, when {@code eventy.retention.dead-letters} is set, the
 * {@link PostgresDeadLetterRetention} that deletes older dead letters. Switched off with
 * {@code eventy.handlers.enabled=false}.
 */
@AutoConfiguration(
		afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
				"org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
				"io.eventy.autoconfigure.EventyAutoConfiguration",
				"io.eventy.autoconfigure.postgres.EventyPostgresAutoConfiguration" })
@ConditionalOnProperty(name = "eventy.handlers.enabled", havingValue = "true", matchIfMissing = true)
@EnableEventHandlers
public final class EventyHandlersAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SubscriptionOptions eventySubscriptionOptions(EventyProperties properties) {
		EventyProperties.Handlers handlers = properties.getHandlers();
		EventyProperties.Retry retry = handlers.getRetry();
		return new SubscriptionOptions(handlers.getBatchSize(), handlers.getPollInterval(),
				StartPosition.valueOf(handlers.getStartPosition().name()), new RetryPolicy(retry.getMaxAttempts(),
						retry.getInitialInterval(), retry.getMultiplier(), retry.getMaxInterval()));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "eventy.store.type", havingValue = "postgres", matchIfMissing = true)
	@ConditionalOnClass(JdbcTemplate.class)
	@ConditionalOnSingleCandidate(DataSource.class)
	@ConditionalOnBean(PostgresStoreSettings.class)
	static class PostgresSubscriptionsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PostgresSubscriptions eventySubscriptions(DataSource dataSource, PostgresStoreSettings settings,
				HandlerEndpointRegistry registry, PayloadConverter converter, SubscriptionOptions options,
				ObjectProvider<PlatformTransactionManager> transactionManager, ApplicationEventPublisher events,
				ObjectProvider<HandlerObserver> observer, EventyProperties properties) {
			PostgresSubscriptions subscriptions = new PostgresSubscriptions(dataSource, settings, registry, converter,
					options, transactionManager(transactionManager.getIfUnique(), dataSource), events);
			subscriptions.setHandlerObserver(observer.getIfUnique(HandlerObserver::noop));
			subscriptions.setPostgresOptions(postgresOptions(properties.getHandlers()));
			return subscriptions;
		}

		private static PostgresSubscriptionOptions postgresOptions(EventyProperties.Handlers handlers) {
			PostgresSubscriptionOptions options = PostgresSubscriptionOptions.defaults()
				.withSegments(handlers.getSegments())
				.withSubscriptionSegments(handlers.getSubscriptionSegments())
				.withLease(handlers.getLease())
				.withStallTimeout(handlers.getStallTimeout());
			String instanceId = handlers.getInstanceId();
			return (instanceId != null && !instanceId.isBlank()) ? options.withInstanceId(instanceId) : options;
		}

		@Bean
		@ConditionalOnMissingBean(DeadLetters.class)
		PostgresDeadLetters eventyDeadLetters(DataSource dataSource, PostgresStoreSettings settings,
				PayloadConverter converter) {
			return new PostgresDeadLetters(dataSource, settings, converter);
		}

		@Bean
		@ConditionalOnMissingBean(Subscriptions.class)
		PostgresSubscriptionControls eventySubscriptionControls(DataSource dataSource, PostgresStoreSettings settings,
				HandlerEndpointRegistry registry, PostgresSubscriptions subscriptions, SubscriptionOptions options) {
			return new PostgresSubscriptionControls(dataSource, settings, registry, subscriptions, options);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnProperty("eventy.retention.dead-letters")
		PostgresDeadLetterRetention eventyDeadLetterRetention(DataSource dataSource, PostgresStoreSettings settings,
				EventyProperties properties) {
			EventyProperties.Retention retention = properties.getRetention();
			Duration deadLetters = retention.getDeadLetters();
			if (deadLetters == null) {
				throw new IllegalStateException("'eventy.retention.dead-letters' is empty");
			}
			return new PostgresDeadLetterRetention(dataSource, settings, deadLetters, retention.getCheckInterval());
		}

		@Bean
		@ConditionalOnMissingBean
		PostgresSubscriptionMonitor eventySubscriptionMonitor(DataSource dataSource, PostgresStoreSettings settings) {
			return new PostgresSubscriptionMonitor(dataSource, settings);
		}

		/**
		 * Return the application's transaction manager when it manages the store's
		 * {@code DataSource} (JDBC, or JPA on it), so that {@code @Transactional}
		 * handlers join the exactly-once transaction; else one of our own on the
		 * {@code DataSource}.
		 */
		static PlatformTransactionManager transactionManager(@Nullable PlatformTransactionManager candidate,
				DataSource dataSource) {
			if (candidate != null && managedDataSource(candidate) == dataSource) {
				return candidate;
			}
			return new DataSourceTransactionManager(dataSource);
		}

		private static @Nullable Object managedDataSource(PlatformTransactionManager transactionManager) {
			if (transactionManager instanceof ResourceTransactionManager resources
					&& resources.getResourceFactory() instanceof DataSource dataSource) {
				return dataSource;
			}
			// JpaTransactionManager and HibernateTransactionManager expose the DataSource
			Method getter = ReflectionUtils.findMethod(transactionManager.getClass(), "getDataSource");
			return (getter != null) ? ReflectionUtils.invokeMethod(getter, transactionManager) : null;
		}

	}

}
