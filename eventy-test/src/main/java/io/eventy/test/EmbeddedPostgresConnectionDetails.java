package io.eventy.test;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * Connects an application to a database of its own on the JVM's embedded PostgreSQL.
 */
final class EmbeddedPostgresConnectionDetails implements JdbcConnectionDetails {

	private final String jdbcUrl;

	private EmbeddedPostgresConnectionDetails(String jdbcUrl) {
		this.jdbcUrl = jdbcUrl;
	}

	/**
	 * Create a new database on the embedded server, starting it on first use.
	 * @return the connection details of the database
	 */
	static EmbeddedPostgresConnectionDetails newDatabase() {
		return new EmbeddedPostgresConnectionDetails(EmbeddedPostgresServer.newDatabase());
	}

	@Override
	public String getUsername() {
		return "postgres";
	}

	@Override
	public String getPassword() {
		return "";
	}

	@Override
	public String getJdbcUrl() {
		return this.jdbcUrl;
	}

	@Override
	public String getDriverClassName() {
		return "org.postgresql.Driver";
	}

}
