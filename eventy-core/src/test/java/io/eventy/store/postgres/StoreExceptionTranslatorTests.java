package io.eventy.store.postgres;

import java.sql.SQLException;

import javax.sql.DataSource;

import io.eventy.record.InvalidRecordException;
import io.eventy.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link StoreExceptionTranslator}.
 */
class StoreExceptionTranslatorTests {

	private static final DataSource DATABASE = PostgresTestDatabase.newDatabase();

	private final StoreExceptionTranslator translator = new StoreExceptionTranslator(DATABASE,
			new PostgresStoreSettings("public", "shop_"));

	@Test
	void aStoredUuidIsAnInvalidRecordWithThePostgresMessageOnOneLine() {
		SQLException ex = uniqueViolation("shop_records_uuid_uk");
		RuntimeException failure = this.translator.writeFailure("publish urn:shop:OrderPlaced", "published", ex);
		assertThat(failure).isInstanceOf(InvalidRecordException.class)
			.hasMessageContaining("uuid: a record with this uuid is already stored (ERROR: duplicate key value "
					+ "violates unique constraint \"shop_records_uuid_uk\" Detail: Key (uuid)=(42) already exists.)")
			.hasCause(ex);
	}

	@Test
	void anyOtherFailureIsTranslatedByItsCodeAndNamesTheTask() {
		RuntimeException failure = this.translator.writeFailure("append to stream order-1", "in stream order-1",
				uniqueViolation("shop_records_stream_uk"));
		assertThat(failure).isInstanceOf(DuplicateKeyException.class)
			.hasMessageStartingWith("Eventy: append to stream order-1");
	}

	@Test
	void onlyAUniqueViolationNamingTheConstraintMatchesIt() {
		String constraint = StoreExceptionTranslator.constraint(new PostgresStoreSettings("public", "shop_"),
				"records_stream_uk");
		assertThat(constraint).isEqualTo("\"shop_records_stream_uk\"");
		assertThat(StoreExceptionTranslator.isUniqueViolation(uniqueViolation("shop_records_stream_uk"), constraint))
			.isTrue();
		assertThat(StoreExceptionTranslator.isUniqueViolation(uniqueViolation("shop_records_uuid_uk"), constraint))
			.isFalse();
		assertThat(StoreExceptionTranslator.isUniqueViolation(new SQLException("\"shop_records_stream_uk\"", "23503"),
				constraint))
			.isFalse();
		assertThat(StoreExceptionTranslator.isUniqueViolation(new SQLException(null, "23505"), constraint)).isFalse();
	}

	@Test
	void aTemplateWithTheTranslatorOfATaskNamesTheTaskRatherThanItsCallback() {
		JdbcTemplate jdbc = new JdbcTemplate(DATABASE);
		jdbc.setExceptionTranslator(this.translator.forTask("read records"));
		assertThatExceptionOfType(BadSqlGrammarException.class)
			.isThrownBy(() -> jdbc.queryForList("SELECT * FROM shop_records WHERE position >= ?", 1))
			.withMessageStartingWith("Eventy: read records")
			.withMessageNotContaining("Callback");
	}

	private static SQLException uniqueViolation(String constraint) {
		return new SQLException("ERROR: duplicate key value violates unique constraint \"" + constraint + "\"\n"
				+ "  Detail: Key (uuid)=(42) already exists.", "23505");
	}

}
