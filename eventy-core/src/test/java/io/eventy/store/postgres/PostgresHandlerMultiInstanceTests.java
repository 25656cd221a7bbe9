package io.eventy.store.postgres;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventy.handler.EventHandler;
import io.eventy.handler.Guarantee;
import io.eventy.record.RecordType;
import io.eventy.store.StoredRecord;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PostgresHandlerMultiInstanceTests {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private final PGSimpleDataSource dataSource = PostgresHandlerFixture.database();

	private final JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);

	@Test
	void twoInstancesShareEachSubscriptionAndHandleEveryRecordOnce() {
		this.jdbc.execute("CREATE TABLE shipments (uuid uuid NOT NULL, instance text NOT NULL)");
		Handled handled = new Handled();
		try (AnnotationConfigApplicationContext first = instance("first", handled);
				AnnotationConfigApplicationContext second = instance("second", handled)) {
			PostgresEventStore store = first.getBean(PostgresEventStore.class);
			List<UUID> written = new java.util.ArrayList<>();
			for (int i = 0; i < 80; i++) {
				written.add(store.publish(new OrderPlaced("o-" + i)).record().uuid());
			}
			await().atMost(DEADLINE)
				.until(() -> handled.counts.keySet().containsAll(written)
						&& count("SELECT count(*) FROM shipments") == written.size());
			first.close();
			for (int i = 80; i < 110; i++) {
				written
					.add(second.getBean(PostgresEventStore.class).publish(new OrderPlaced("o-" + i)).record().uuid());
			}
			await().atMost(DEADLINE)
				.until(() -> handled.counts.keySet().containsAll(written)
						&& count("SELECT count(*) FROM shipments") == written.size());
			await().during(Duration.ofMillis(300)).atMost(DEADLINE).until(() -> handled.counts.size() == 110);
			assertThat(handled.counts.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
			assertThat(count("SELECT count(DISTINCT uuid) FROM shipments")).isEqualTo(110);
			assertThat(handled.byInstance.get("second")).isPositive();
		}
	}

	private AnnotationConfigApplicationContext instance(String name, Handled handled) {
		return PostgresHandlerFixture.context(this.dataSource)
			.bean("counter", Counter.class, () -> new Counter(name, handled))
			.bean("shipping", Shipping.class, () -> new Shipping(name, new JdbcTemplate(this.dataSource)))
			.start();
	}

	private long count(String sql) {
		Long value = this.jdbc.queryForObject(sql, Long.class);
		return (value != null) ? value : -1;
	}

	@RecordType(namespace = "urn:shop")
	record OrderPlaced(String orderId) {
	}

	static final class Handled {

		final Map<UUID, AtomicInteger> counts = new ConcurrentHashMap<>();

		final Map<String, Integer> byInstance = new ConcurrentHashMap<>();

	}

	static class Counter {

		private final String instance;

		private final Handled handled;

		Counter(String instance, Handled handled) {
			this.instance = instance;
			this.handled = handled;
		}

		@EventHandler
		void on(OrderPlaced event, StoredRecord record) {
			this.handled.counts.computeIfAbsent(record.record().uuid(), (uuid) -> new AtomicInteger())
				.incrementAndGet();
			this.handled.byInstance.merge(this.instance, 1, Integer::sum);
		}

	}

	static class Shipping {

		private final String instance;

		private final JdbcTemplate jdbc;

		Shipping(String instance, JdbcTemplate jdbc) {
			this.instance = instance;
			this.jdbc = jdbc;
		}

		@EventHandler(guarantee = Guarantee.EXACTLY_ONCE)
		void on(OrderPlaced event, StoredRecord record) {
			this.jdbc.update("INSERT INTO shipments (uuid, instance) VALUES (?, ?)", record.record().uuid(),
					this.instance);
		}

	}

}
