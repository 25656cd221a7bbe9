package io.eventy.autoconfigure.management;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A service with one subscription, {@code orders}, on the Kafka store of the in-JVM
 * broker: its handler fails while {@link ManagementTestApplication.Orders#failing} is
 * set.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration" })
class KafkaManagementTestApplication {

	@Bean
	ManagementTestApplication.Orders orders() {
		return new ManagementTestApplication.Orders();
	}

}
