package io.eventy.autoconfigure.handler;

import io.eventy.store.postgres.PostgresSubscriptionMonitor;
import io.eventy.store.postgres.PostgresSubscriptions;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link EventyHandlersHealthIndicator} when the actuator is
 * present; switched off with {@code management.health.eventy-handlers.enabled=false}.
 */
@AutoConfiguration(after = EventyHandlersAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(PostgresSubscriptionMonitor.class)
@ConditionalOnEnabledHealthIndicator("eventy-handlers")
public final class EventyHandlersHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "eventyHandlersHealthIndicator")
	EventyHandlersHealthIndicator eventyHandlersHealthIndicator(PostgresSubscriptionMonitor monitor,
			ObjectProvider<PostgresSubscriptions> subscriptions) {
		return new EventyHandlersHealthIndicator(monitor, subscriptions.getIfUnique());
	}

}
