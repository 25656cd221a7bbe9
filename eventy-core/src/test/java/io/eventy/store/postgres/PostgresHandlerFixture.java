package io.eventy.store.postgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;

import io.eventy.handler.EnableEventHandlers;
import io.eventy.handler.HandlerEndpointRegistry;
import io.eventy.handler.HandlerObserver;
import io.eventy.handler.HandlerTestContexts;
import io.eventy.handler.RetryPolicy;
import io.eventy.handler.StartPosition;
import io.eventy.handler.SubscriptionOptions;
import io.eventy.record.RecordFactory;
import io.eventy.testsupport.PostgresTestDatabase;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A fresh database with the store's tables from its changelog, the real PostgreSQL store,
 * and application contexts that run handlers on them.
 */
public final class PostgresHandlerFixture {

	public static final PostgresStoreSettings SETTINGS = PostgresStoreSettings.defaults();

	private PostgresHandlerFixture() {
	}

	/**
	 * Create a database with the store's tables, from the store's own changelog.
	 * @return its data source
	 */
	public static PGSimpleDataSource database() {
		PGSimpleDataSource dataSource = PostgresTestDatabase.newDatabase();
		new PostgresSchemaInitializer(dataSource, SETTINGS).initialize();
		return dataSource;
	}

	/**
	 * The real PostgreSQL store on a database.
	 * @param dataSource the database
	 * @return a store that writes with the test record factory
	 */
	public static PostgresEventStore store(DataSource dataSource) {
		return new PostgresEventStore(dataSource, SETTINGS, HandlerTestContexts.recordFactory());
	}

	public static SubscriptionOptions fastOptions() {
		return new SubscriptionOptions(100, Duration.ofMillis(200), StartPosition.EARLIEST,
				new RetryPolicy(3, Duration.ofMillis(10), 2.0, Duration.ofMillis(50)));
	}

	public static ContextBuilder context(DataSource dataSource) {
		return new ContextBuilder(dataSource);
	}

	/**
	 * Builds an application context that runs handlers on a database.
	 */
	public static final class ContextBuilder {

		private final DataSource dataSource;

		private SubscriptionOptions options = fastOptions();

		private PostgresSubscriptionOptions postgresOptions = PostgresSubscriptionOptions.defaults()
			.withLease(Duration.ofSeconds(2));

		private final List<Runnable> registrations = new ArrayList<>();

		private RecordFactory recordFactory = HandlerTestContexts.recordFactory();

		private HandlerObserver observer = HandlerObserver.noop();

		private Duration progressInterval = SubscriptionActivity.PROGRESS_INTERVAL;

		private final AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();

		ContextBuilder(DataSource dataSource) {
			this.dataSource = dataSource;
		}

		public ContextBuilder options(SubscriptionOptions options) {
			this.options = options;
			return this;
		}

		public ContextBuilder observer(HandlerObserver observer) {
			this.observer = observer;
			return this;
		}

		public ContextBuilder progressInterval(Duration interval) {
			this.progressInterval = interval;
			return this;
		}

		public ContextBuilder recordFactory(RecordFactory recordFactory) {
			this.recordFactory = recordFactory;
			return this;
		}

		public ContextBuilder postgresOptions(PostgresSubscriptionOptions options) {
			this.postgresOptions = options;
			return this;
		}

		public <T> ContextBuilder bean(String name, Class<T> type, Supplier<T> supplier) {
			this.registrations.add(() -> this.context.registerBean(name, type, supplier));
			return this;
		}

		public ContextBuilder bean(String name, Class<?> type) {
			this.registrations.add(() -> this.context.registerBean(name, type));
			return this;
		}

		public AnnotationConfigApplicationContext start() {
			AnnotationConfigApplicationContext context = this.context;
			RecordFactory factory = this.recordFactory;
			context.register(Handlers.class);
			context.registerBean(DataSource.class, () -> this.dataSource);
			context.registerBean(RecordFactory.class, () -> factory);
			context.registerBean(PostgresEventStore.class,
					() -> new PostgresEventStore(this.dataSource, SETTINGS, factory));
			context.registerBean(PlatformTransactionManager.class,
					() -> new DataSourceTransactionManager(this.dataSource));
			context.registerBean(PostgresSubscriptions.class, () -> {
				PostgresSubscriptions subscriptions = new PostgresSubscriptions(this.dataSource, SETTINGS,
						context.getBean(HandlerEndpointRegistry.class), factory.converter(), this.options,
						context.getBean(PlatformTransactionManager.class), context);
				subscriptions.setPostgresOptions(this.postgresOptions);
				subscriptions.setHandlerObserver(this.observer);
				subscriptions.setProgressInterval(this.progressInterval);
				return subscriptions;
			});
			context.registerBean(PostgresDeadLetters.class,
					() -> new PostgresDeadLetters(this.dataSource, SETTINGS, factory.converter()));
			context.registerBean(PostgresSubscriptionControls.class,
					() -> new PostgresSubscriptionControls(this.dataSource, SETTINGS,
							context.getBean(HandlerEndpointRegistry.class),
							context.getBean(PostgresSubscriptions.class), this.options));
			this.registrations.forEach(Runnable::run);
			context.refresh();
			return context;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableEventHandlers
	public static class Handlers {

	}

}
