package io.eventy.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresTestDatabaseTests {

	@Test
	void newDatabaseIsARealPostgresql17Server() throws Exception {
		try (Connection connection = PostgresTestDatabase.newDatabase().getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SHOW server_version_num")) {
			assertThat(result.next()).isTrue();
			assertThat(result.getInt(1)).isGreaterThanOrEqualTo(170000);
		}
	}

}
