package io.eventy.store.postgres;

import com.zaxxer.hikari.HikariDataSource;
import io.eventy.store.StoreTestRecords;
import io.eventy.store.StoredRecord;
import io.eventy.store.StoreTestRecords.Note;
import io.eventy.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PostgresDeadLetters} on a real PostgreSQL.
 */
class PostgresDeadLettersTests {

	@Test
	void redriveOutsideATransactionIsCommittedOnAPoolThatDoesNotAutoCommit() {
		PGSimpleDataSource database = PostgresTestDatabase.newDatabase();
		PostgresStoreSettings settings = PostgresStoreSettings.defaults();
		new PostgresSchemaInitializer(database, settings).initialize();
		JdbcTemplate jdbc = new JdbcTemplate(database);
		try (HikariDataSource pool = new HikariDataSource();
				PostgresEventStore store = new PostgresEventStore(database, settings,
						StoreTestRecords.recordFactory())) {
			pool.setDataSource(database);
			pool.setAutoCommit(false);
			StoredRecord dead = store.publish(new Note("dead"));
			jdbc.update("INSERT INTO eventy_dead_letters (subscription, position, uuid, attempts, last_error) "
					+ "VALUES ('projection.on', ?, ?, 3, 'boom')", dead.position(), dead.record().uuid());
			PostgresDeadLetters deadLetters = new PostgresDeadLetters(pool, settings,
					StoreTestRecords.recordFactory().converter());
			assertThat(deadLetters.redrive("projection.on")).isEqualTo(1);
			assertThat(jdbc.queryForObject("SELECT redrive FROM eventy_dead_letters", Boolean.class)).isTrue();
		}
	}

}
