package io.eventy.sample;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code spring.datasource.url} set, the sample uses that database and starts none
 * of its own.
 */
@AutoConfigureTestRestTemplate
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.demo.enabled=false")
@DirtiesContext
class ExternalDatabaseTests {

	// stopped by its own shutdown hook, after @DirtiesContext closed the application
	private static final EmbeddedPostgres external = start();

	@Autowired
	private ApplicationContext context;

	@Autowired
	private TestRestTemplate http;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> external.getJdbcUrl("postgres", "postgres"));
		registry.add("spring.datasource.username", () -> "postgres");
	}

	@Test
	void storesOrdersInTheConfiguredDatabaseAndStartsNoneOfItsOwn() {
		assertThat(this.context.getBeansOfType(EmbeddedPostgres.class)).isEmpty();
		assertThat(this.context.getBean(DataSource.class)).isInstanceOfSatisfying(HikariDataSource.class,
				(dataSource) -> assertThat(dataSource.getJdbcUrl())
					.isEqualTo(external.getJdbcUrl("postgres", "postgres")));
		ResponseEntity<JsonNode> response = this.http.postForEntity("/orders",
				Map.of("orderId", "external-1", "customer", "Ada", "amountCents", 700), JsonNode.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		List<String> tables = new JdbcTemplate(external.getPostgresDatabase()).queryForList(
				"select table_name from information_schema.tables where starts_with(table_name, 'eventy_')",
				String.class);
		assertThat(tables).isNotEmpty();
	}

	private static EmbeddedPostgres start() {
		try {
			return EmbeddedPostgres.builder().start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start the external database of the test", ex);
		}
	}

}
