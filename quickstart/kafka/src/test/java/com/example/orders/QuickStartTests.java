package com.example.orders;

import java.time.Duration;

import com.example.orders.support.QuickStartProcess;
import io.eventy.testsupport.KafkaTestBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Quick start on Kafka, run as a user runs it, with no JDBC on its classpath:
 * it starts, appends its record, handles it, keeps running with no web server, and stops
 * on SIGTERM.
 */
class QuickStartTests {

	@Test
	void startsHandlesItsRecordKeepsRunningAndStopsOnSigterm() throws Exception {
		try (QuickStartProcess app = QuickStartProcess.start(OrdersApplication.class,
				"--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers())) {
			app.awaitLine("Started OrdersApplication");
			app.awaitLine("Billing order 42: 1200 cents");
			app.awaitMainThreadEndedWhileRunning();
			// a JVM ended by SIGTERM reports 128 + 15 once its shutdown hooks, Spring's
			// among them, have run
			assertThat(app.terminate(Duration.ofSeconds(20))).isEqualTo(143);
			assertThat(app.output()).noneMatch((line) -> line.contains("ERROR") || line.contains("Exception"));
		}
	}

	@Test
	void theKafkaStarterBringsNoJdbc() throws Exception {
		String classpath = java.nio.file.Files.readString(java.nio.file.Path.of("target/runtime-classpath.txt"));
		assertThat(classpath).doesNotContain("spring-jdbc").doesNotContain("HikariCP").doesNotContain("liquibase")
			.doesNotContain("postgresql").contains("spring-kafka");
	}

}
