package io.eventy.autoconfigure.web.ingest;

import javax.sql.DataSource;

import io.eventy.testsupport.PostgresTestDatabase;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A web application with ingest's record types ({@link Clicked}, {@link Hidden},
 * {@link CheckStock}), found by scanning this package; its store comes from the tests:
 * {@link Database} for PostgreSQL, properties for Kafka.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class IngestTestApplication {

	/**
	 * A fresh database on the embedded PostgreSQL server.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Database {

		@Bean
		DataSource dataSource() {
			return PostgresTestDatabase.newDatabase();
		}

	}

}
