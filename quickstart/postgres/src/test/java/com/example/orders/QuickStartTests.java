package com.example.orders;

import java.util.List;

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
		List<String> output = QuickStartProcess.runStartsHandlesKeepsRunningAndStopsOnSigterm(OrdersApplication.class,
				"--spring.datasource.url=" + database.getUrl(), "--spring.datasource.username=" + database.getUser(),
				"--spring.datasource.password=" + database.getPassword());
		assertThat(output).as("Liquibase's routine lines about Eventy's tables")
			.noneMatch((line) -> line.contains("INFO") && line.contains("liquibase"));
	}

}
