package io.eventy.test;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when a property has no value: the application configures no server of its own.
 */
abstract class UnsetPropertyCondition extends SpringBootCondition {

	private final String property;

	UnsetPropertyCondition(String property) {
		this.property = property;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String value = context.getEnvironment().getProperty(this.property);
		return StringUtils.hasText(value) ? ConditionOutcome.noMatch(this.property + " is set")
				: ConditionOutcome.match(this.property + " is not set");
	}

	/**
	 * Matches when {@code spring.datasource.url} is not set.
	 */
	static final class NoDataSourceUrl extends UnsetPropertyCondition {

		NoDataSourceUrl() {
			super("spring.datasource.url");
		}

	}

	/**
	 * Matches when {@code spring.kafka.bootstrap-servers} is not set.
	 */
	static final class NoKafkaBootstrapServers extends UnsetPropertyCondition {

		NoKafkaBootstrapServers() {
			super("spring.kafka.bootstrap-servers");
		}

	}

}
