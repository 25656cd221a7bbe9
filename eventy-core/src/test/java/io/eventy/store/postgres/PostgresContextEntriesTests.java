package io.eventy.store.postgres;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.eventy.context.EventyContextHolder;
import io.eventy.handler.EventHandler;
import io.eventy.record.RecordType;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StoredRecord;
import io.eventy.store.StreamId;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Context entries opened in a scope go into the records appended there, a handler reads
 * them as a type, and what it emits carries them, on the PostgreSQL store.
 */
class PostgresContextEntriesTests {

	private final PGSimpleDataSource dataSource = PostgresHandlerFixture.database();

	@Test
	void contextEntryOfAScopeReachesTheRecordItsHandlerAndWhatTheHandlerEmits() {
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("shipping", Shipping.class)
			.start()) {
			PostgresEventStore store = context.getBean(PostgresEventStore.class);
			StoredRecord order;
			try (EventyContextHolder.Scope scope = EventyContextHolder.openWithEntry("tenant", new Tenant("acme"))) {
				order = store.append(StreamId.of("order", "1"), ExpectedVersion.noStream(), new OrderPlaced("1"))
					.records()
					.get(0);
			}
			assertThat(order.record().context()).isEqualTo(Map.of("tenant", Map.of("id", "acme")));
			await().atMost(Duration.ofSeconds(10)).until(() -> shipped(store).size() == 1);
			assertThat(context.getBean(Shipping.class).tenants).containsExactly(new Tenant("acme"));
			assertThat(shipped(store).get(0).record().context()).isEqualTo(Map.of("tenant", Map.of("id", "acme")));
		}
	}

	private static List<StoredRecord> shipped(PostgresEventStore store) {
		return store.readAll(1, 100)
			.stream()
			.filter((record) -> record.record().name().equals("OrderShipped"))
			.toList();
	}

	record Tenant(String id) {
	}

	@RecordType(namespace = "urn:shop")
	record OrderPlaced(String orderId) {
	}

	@RecordType(namespace = "urn:shop")
	record OrderShipped(String orderId) {
	}

	static class Shipping {

		final List<Tenant> tenants = new CopyOnWriteArrayList<>();

		@EventHandler
		OrderShipped ship(OrderPlaced order) {
			this.tenants.add(EventyContextHolder.entry("tenant", Tenant.class).orElseThrow());
			return new OrderShipped(order.orderId());
		}

	}

}
