package io.eventy.test;

import java.util.UUID;

import javax.sql.DataSource;

import io.eventy.store.EventStore;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StreamId;
import io.eventy.store.postgres.PostgresEventStore;
import io.eventy.test.app.OrderPlaced;
import io.eventy.test.app.TestShopApplication;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = TestShopApplication.class)
@EventyTest
class EventyTestPostgresTests {

	@Autowired
	private JdbcConnectionDetails connectionDetails;

	@Autowired
	private DataSource dataSource;

	@Autowired
	private EventStore store;

	@Test
	void connectsTheApplicationToADatabaseOfItsOwnOnTheJvmsEmbeddedPostgres() {
		assertThat(this.connectionDetails).isInstanceOf(EmbeddedPostgresConnectionDetails.class);
		assertThat(this.connectionDetails.getJdbcUrl())
			.startsWith("jdbc:postgresql://localhost:" + EmbeddedPostgresServer.server().getPort() + "/eventy_test_");
		String database = new JdbcTemplate(this.dataSource).queryForObject("select current_database()", String.class);
		assertThat(this.connectionDetails.getJdbcUrl()).contains("/" + database);
	}

	@Test
	void storesRecordsInThatDatabase() {
		assertThat(this.store).isInstanceOf(PostgresEventStore.class);
		StreamId order = StreamId.of("order", UUID.randomUUID().toString());
		this.store.append(order, ExpectedVersion.noStream(), new OrderPlaced(order.id(), 1200));
		assertThat(this.store.readStream(order)).singleElement()
			.satisfies((record) -> assertThat(record.payload(OrderPlaced.class).amountCents()).isEqualTo(1200));
		assertThat(new JdbcTemplate(this.dataSource)
			.queryForObject("select count(*) from eventy_records where stream_id = ?", Long.class, order.id()))
			.isEqualTo(1);
	}

}
