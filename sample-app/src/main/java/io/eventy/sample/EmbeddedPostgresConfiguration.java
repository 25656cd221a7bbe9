package io.eventy.sample;

import java.io.IOException;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Starts an embedded PostgreSQL when no {@code spring.datasource.url} is set, so the
 * sample runs with no external service. Its data lives in a temporary directory and is
 * gone when the application stops. With a URL, Spring Boot's own DataSource is used.
 * <p>
 * The server stops last, when the application context closes: after every lifecycle bean
 * (Eventy's subscriptions, the web server) stopped and after the DataSource, which
 * depends on it, closed its pool. On {@code SIGTERM} Spring Boot's shutdown hook closes
 * the context. The server's own JVM shutdown hook is switched off: JVM shutdown hooks run
 * concurrently, so it would stop the server while the subscriptions still read and
 * checkpoint, and they would wait for connections until the pool's timeout.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "eventy.store.type", havingValue = "postgres", matchIfMissing = true)
@Conditional(EmbeddedPostgresConfiguration.NoDataSourceUrlCondition.class)
class EmbeddedPostgresConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

	@Bean(destroyMethod = "close")
	EmbeddedPostgres embeddedPostgres() throws IOException {
		EmbeddedPostgres postgres = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
		logger.info("Started an embedded PostgreSQL on port {} because spring.datasource.url is not set; "
				+ "its data is deleted when the application stops", postgres.getPort());
		return postgres;
	}

	@Bean
	HikariDataSource dataSource(EmbeddedPostgres postgres) {
		return DataSourceBuilder.create()
			.type(HikariDataSource.class)
			.url(postgres.getJdbcUrl("postgres", "postgres"))
			.username("postgres")
			.build();
	}

	/**
	 * Matches when {@code spring.datasource.url} is not set.
	 */
	static class NoDataSourceUrlCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			String url = context.getEnvironment().getProperty("spring.datasource.url");
			return StringUtils.hasText(url) ? ConditionOutcome.noMatch("spring.datasource.url is set")
					: ConditionOutcome.match("spring.datasource.url is not set");
		}

	}

}
