package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.eventy.handler.EventHandler;
import io.eventy.record.RecordType;
import io.eventy.store.StoredRecord;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PostgresSubscriptionMonitorTests {

	private final PGSimpleDataSource dataSource = PostgresHandlerFixture.database();

	private final PostgresSubscriptionMonitor monitor = new PostgresSubscriptionMonitor(this.dataSource,
			PostgresHandlerFixture.SETTINGS);

	private final PostgresEventStore store = PostgresHandlerFixture.store(this.dataSource);

	@Test
	void lagCountsTheRecordsStoredAfterTheCheckpoint() {
		StoredRecord last;
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.dataSource)
			.bean("projection", Projection.class)
			.start()) {
			this.store.publish(new OrderPlaced("1"));
			last = this.store.publish(new OrderPlaced("2"));
			await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(Projection.class).seen.size() == 2);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.monitor.subscriptions().get(0).lag() == 0);
		}
		this.store.publish(new OrderPlaced("3"));
		this.store.publish(new OrderPlaced("4"));
		this.store.publish(new OrderPlaced("5"));
		assertThat(this.monitor.subscriptions())
			.containsExactly(new SubscriptionLag("projection.on", last.position(), 3, 0, null, 0));
	}

	@Test
	void readHorizonShowsRecordsHeldBackByAnOlderTransaction() throws Exception {
		assertThat(this.monitor.horizon().heldBack()).isFalse();
		try (Connection old = this.dataSource.getConnection(); Statement statement = old.createStatement()) {
			old.setAutoCommit(false);
			int pid;
			try (ResultSet result = statement.executeQuery("SELECT pg_current_xact_id(), pg_backend_pid()")) {
				result.next();
				pid = result.getInt(2);
			}
			this.store.publish(new OrderPlaced("waits"));
			ReadHorizon horizon = this.monitor.horizon();
			assertThat(horizon.heldBack()).isTrue();
			assertThat(horizon.waitingRecords()).isOne();
			assertThat(horizon.oldestTransactionPid()).isEqualTo(pid);
			assertThat(horizon.oldestTransactionStartedAt()).isBeforeOrEqualTo(horizon.checkedAt());
			assertThat(horizon.heldBackFor()).isGreaterThanOrEqualTo(Duration.ZERO);
			old.commit();
		}
		assertThat(this.monitor.horizon().heldBack()).isFalse();
	}

	@RecordType(namespace = "urn:shop")
	record OrderPlaced(String orderId) {
	}

	static class Projection {

		final List<String> seen = new CopyOnWriteArrayList<>();

		@EventHandler
		void on(OrderPlaced event) {
			this.seen.add(event.orderId());
		}

	}

}
