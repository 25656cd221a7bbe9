package com.example.orders;

import java.nio.file.Files;
import java.nio.file.Path;

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
		QuickStartProcess.runStartsHandlesKeepsRunningAndStopsOnSigterm(OrdersApplication.class,
				"--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers());
	}

	@Test
	void theKafkaStarterBringsNoJdbc() throws Exception {
		String classpath = Files.readString(Path.of("target/runtime-classpath.txt"));
		assertThat(classpath).contains("spring-kafka")
			.doesNotContain("spring-jdbc")
			.doesNotContain("HikariCP")
			.doesNotContain("liquibase")
			.doesNotContain("postgresql");
	}

}
