package io.eventy.store.postgres;

import java.time.Duration;
import java.util.Map;

import io.eventy.handler.DeadLetters;
import io.eventy.handler.StartPosition;
import io.eventy.handler.SubscriptionContractTests;
import io.eventy.store.EventStore;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.awaitility.Awaitility.await;

/**
 * The subscription contract on PostgreSQL: subscriptions of four segments, which two
 * instances share.
 */
class PostgresSubscriptionContractTests extends SubscriptionContractTests {

	private final PGSimpleDataSource dataSource = PostgresHandlerFixture.database();

	@Override
	protected Instance startInstance(String name, StartPosition start, Map<String, Object> handlers) {
		PostgresHandlerFixture.ContextBuilder builder = PostgresHandlerFixture.context(this.dataSource)
			.options(PostgresHandlerFixture.fastOptions().withStartPosition(start).withRetry(FAST_RETRIES))
			.postgresOptions(PostgresSubscriptionOptions.defaults()
				.withSegments(4)
				.withLease(Duration.ofSeconds(2))
				.withInstanceId(name));
		handlers.forEach((beanName, bean) -> register(builder, beanName, bean));
		AnnotationConfigApplicationContext context = builder.start();
		return new Instance() {

			@Override
			public EventStore store() {
				return context.getBean(PostgresEventStore.class);
			}

			@Override
			public DeadLetters deadLetters() {
				return context.getBean(PostgresDeadLetters.class);
			}

			@Override
			public void close() {
				context.close();
			}

		};
	}

	@SuppressWarnings("unchecked")
	private static <T> void register(PostgresHandlerFixture.ContextBuilder builder, String name, T bean) {
		builder.bean(name, (Class<T>) bean.getClass(), () -> bean);
	}

	@Override
	protected EventStore storeBeforeStart() {
		return PostgresHandlerFixture.store(this.dataSource);
	}

	@Override
	protected void awaitShared(Instance instance) {
		JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
		await().atMost(DEADLINE)
			.until(() -> jdbc
				.queryForList("SELECT owner, count(*) FROM eventy_subscriptions WHERE name = 'shared' "
						+ "AND owned_until > clock_timestamp() GROUP BY owner HAVING count(*) = 2")
				.size() == 2);
	}

}
