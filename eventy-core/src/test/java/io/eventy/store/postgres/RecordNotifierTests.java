package io.eventy.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.eventy.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RecordNotifier} on a real PostgreSQL.
 */
class RecordNotifierTests {

	private PGSimpleDataSource database;

	private HikariDataSource pool;

	@BeforeEach
	void startPool() {
		this.database = PostgresTestDatabase.newDatabase();
		this.pool = new HikariDataSource();
		this.pool.setDataSource(this.database);
		this.pool.setMaximumPoolSize(2);
	}

	@AfterEach
	void closePool() {
		this.pool.close();
	}

	@Test
	void coversTheCommitsOfAMillisecondWithOneNotification() throws Exception {
		try (RecordNotifier notifier = new RecordNotifier(this.pool, "records");
				Connection listener = this.database.getConnection();
				Statement statement = listener.createStatement()) {
			statement.execute("LISTEN records");
			long started = System.nanoTime();
			for (int i = 0; i < 100; i++) {
				notifier.committed();
			}
			long gatherings = (System.nanoTime() - started)
					/ TimeUnit.MICROSECONDS.toNanos(RecordNotifier.GATHER_MICROS);
			await().atMost(Duration.ofSeconds(10)).until(() -> notifier.sent() >= 1 && !notifier.isScheduled());
			assertThat(notifier.requests()).isEqualTo(100);
			// 100 calls take microseconds: one notification, one more for every gathering
			// time the loop took should the machine stall
			assertThat(notifier.sent()).isBetween(1L, 2 + gatherings);
			List<String> received = receiveUntilMarker(listener, statement);
			assertThat(received).hasSize((int) notifier.sent()).containsOnly("records");
		}
	}

	@Test
	void sendsANewNotificationForACommitAfterTheLastOneWentOut() {
		try (RecordNotifier notifier = new RecordNotifier(this.pool, "records")) {
			notifier.committed();
			await().atMost(Duration.ofSeconds(10)).until(() -> notifier.sent() == 1);
			notifier.committed();
			await().atMost(Duration.ofSeconds(10)).until(() -> notifier.sent() == 2);
		}
	}

	@Test
	void keepsWorkingAfterTheDatabaseWasUnreachable() {
		AtomicInteger refused = new AtomicInteger();
		DataSource down = new DelegatingDataSource(this.pool) {

			@Override
			public Connection getConnection() throws SQLException {
				if (refused.get() == 0) {
					refused.incrementAndGet();
					throw new SQLException("Connection refused");
				}
				return super.getConnection();
			}

		};
		try (RecordNotifier notifier = new RecordNotifier(down, "records")) {
			notifier.committed();
			await().atMost(Duration.ofSeconds(10)).until(() -> refused.get() == 1 && !notifier.isScheduled());
			assertThat(notifier.sent()).isZero();
			notifier.committed();
			await().atMost(Duration.ofSeconds(10)).until(() -> notifier.sent() == 1);
		}
	}

	private static List<String> receiveUntilMarker(Connection listener, Statement statement) throws Exception {
		statement.execute("LISTEN marker");
		statement.execute("NOTIFY marker");
		List<String> received = new ArrayList<>();
		PGConnection pg = listener.unwrap(PGConnection.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			PGNotification[] notifications = pg.getNotifications(100);
			if (notifications != null) {
				for (PGNotification notification : notifications) {
					received.add(notification.getName());
				}
			}
			return received.contains("marker");
		});
		received.remove("marker");
		return received;
	}

}
