package io.eventy.readme;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.eventy.handler.EventHandler;
import io.eventy.record.RecordType;
import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StreamId;
import io.eventy.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import static org.awaitility.Awaitility.await;

/**
 * The README's wiring of Eventy without its Spring Boot starter (for Spring Boot 3.5 and
 * plain Spring applications) starts a store and runs a handler. eventy-core's tests run
 * on Spring Framework 7 and, in CI, on Spring Framework 6.2.
 */
class EventyConfigurationTests {

	@Test
	void wiresTheStoreAndRunsHandlersWithoutSpringBoot() {
		DataSource dataSource = PostgresTestDatabase.newDatabase();
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.registerBean(DataSource.class, () -> dataSource);
			context.registerBean(PlatformTransactionManager.class, () -> new DataSourceTransactionManager(dataSource));
			context.register(EventyConfiguration.class, Billing.class);
			context.refresh();
			context.getBean(EventStore.class)
				.append(StreamId.of("order", "42"), ExpectedVersion.noStream(), new OrderPlaced("42"));
			await().atMost(Duration.ofSeconds(30))
				.until(() -> context.getBean(Billing.class).billed, (billed) -> billed.equals(List.of("42")));
		}
	}

	@RecordType(namespace = "urn:shop")
	record OrderPlaced(String orderId) {
	}

	static class Billing {

		final List<String> billed = new CopyOnWriteArrayList<>();

		@EventHandler
		void onOrderPlaced(OrderPlaced order) {
			this.billed.add(order.orderId());
		}

	}

}
