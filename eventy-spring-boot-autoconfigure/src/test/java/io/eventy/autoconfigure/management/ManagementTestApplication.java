package io.eventy.autoconfigure.management;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.eventy.autoconfigure.kafka.EventyKafkaAutoConfiguration;
import io.eventy.handler.EventHandler;
import io.eventy.record.RecordType;
import io.eventy.testsupport.PostgresTestDatabase;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A service with one subscription, {@code orders}, on a fresh embedded PostgreSQL
 * database: its handler fails while {@link Orders#failing} is set.
 */
@SpringBootConfiguration
// Eventy's own schema only: no application changelog
@EnableAutoConfiguration(exclude = EventyKafkaAutoConfiguration.class,
		excludeName = "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration")
class ManagementTestApplication {

	@Bean
	DataSource dataSource() {
		return PostgresTestDatabase.newDatabase();
	}

	@Bean
	Orders orders() {
		return new Orders();
	}

	/**
	 * The {@code orders} subscription: records the order ids it handled, fails while
	 * {@link #failing} is set.
	 */
	static class Orders {

		final AtomicBoolean failing = new AtomicBoolean();

		final List<String> handled = new CopyOnWriteArrayList<>();

		@EventHandler(subscription = "orders")
		void on(OrderPlaced order) {
			if (this.failing.get()) {
				throw new IllegalStateException("Warehouse unreachable for order " + order.orderId());
			}
			this.handled.add(order.orderId());
		}

	}

	/**
	 * An order was placed.
	 *
	 * @param orderId the order id
	 */
	@RecordType(namespace = "urn:shop")
	record OrderPlaced(String orderId) {

	}

}
