package com.example.orders;

import java.time.Duration;

import com.example.orders.support.QuickStartProcess;
import io.eventy.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Quick start on PostgreSQL, run as a user runs it: it starts, appends its
 * record, handles it, keeps running with no web server, and stops on SIGTERM.
 */
class QuickStartTests {

	@Test
	void startsHandlesItsRecordKeepsRunningAndStopsOnSigterm() throws Exception {
		PGSimpleDataSource database = PostgresTestDatabase.newDatabase();
		try (QuickStartProcess app = QuickStartProcess.start(OrdersApplication.class,
				"--spring.datasource.url=" + database.getUrl(), "--spring.datasource.username=" + database.getUser(),
				"--spring.datasource.password=" + database.getPassword())) {
			app.awaitLine("Started OrdersApplication");
			app.awaitLine("Billing order 42: 1200 cents");
			app.awaitMainThreadEndedWhileRunning();
			// a JVM ended by SIGTERM reports 128 + 15 once its shutdown hooks, Spring's
			// among them, have run
			assertThat(app.terminate(Duration.ofSeconds(20))).isEqualTo(143);
			assertThat(app.output()).noneMatch((line) -> line.contains("ERROR") || line.contains("Exception"));
			assertThat(app.output()).noneMatch((line) -> line.contains("INFO") && line.contains("liquibase"));
		}
	}

}
