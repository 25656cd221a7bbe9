package io.eventy.store.postgres;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.eventy.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RecordNotificationListenerTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private static final String APPLICATION_NAME = "eventy-listener-test";

	private final PGSimpleDataSource dataSource = PostgresTestDatabase.newDatabase();

	private final JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);

	private final Logger logger = (Logger) LoggerFactory.getLogger(RecordNotificationListener.class);

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private final AtomicInteger wakes = new AtomicInteger();

	private PGSimpleDataSource listening;

	private RecordNotificationListener listener;

	private Thread thread;

	@BeforeEach
	void startListener() {
		this.logs.start();
		this.logger.addAppender(this.logs);
		this.listening = PostgresTestDatabase.dataSource(this.dataSource.getDatabaseName());
		this.listening.setApplicationName(APPLICATION_NAME);
		this.listener = new RecordNotificationListener(this.listening, "eventy_records", this.wakes::incrementAndGet);
		this.thread = new Thread(this.listener, "listener-test");
		this.thread.start();
	}

	@AfterEach
	void stopListener() throws InterruptedException {
		this.listener.stop();
		this.thread.join(DEADLINE.toMillis());
		this.logger.detachAppender(this.logs);
	}

	@Test
	void wakesOnEachNotification() {
		await().atMost(DEADLINE).until(() -> this.wakes.get() == 1);
		this.jdbc.execute("SELECT pg_notify('eventy_records', '')");
		await().atMost(DEADLINE).until(() -> this.wakes.get() == 2);
	}

	@Test
	void warnsAboutEachLostConnectionAndWakesAfterEachReconnect() {
		await().atMost(DEADLINE).until(() -> this.wakes.get() == 1);
		assertThat(killListeningConnection()).isOne();
		await().atMost(DEADLINE).until(() -> this.wakes.get() == 2);
		assertThat(killListeningConnection()).isOne();
		await().atMost(DEADLINE).until(() -> this.wakes.get() == 3);
		assertThat(this.logs.list).filteredOn((event) -> event.getLevel() == Level.WARN)
			.extracting(ILoggingEvent::getFormattedMessage)
			.hasSize(2)
			.allSatisfy(
					(message) -> assertThat(message).startsWith("Lost the connection listening on 'eventy_records'"));
	}

	private int killListeningConnection() {
		// only once the reconnected listener is waiting, so that this kills it, not a
		// connection being opened
		await().atMost(DEADLINE)
			.until(() -> count(
					"SELECT count(*) FROM pg_stat_activity WHERE application_name = ? " + "AND state = 'idle'") == 1);
		return count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?");
	}

	private int count(String sql) {
		Integer count = this.jdbc.queryForObject(sql, Integer.class, APPLICATION_NAME);
		return (count != null) ? count : -1;
	}

}
