package io.eventy.test;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * Connects an application to a database of its own on the JVM's embedded PostgreSQL; the
 * server stops at JVM exit only once every application context released its database.
 */
final class EmbeddedPostgresConnectionDetails implements JdbcConnectionDetails, DisposableBean {

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

	/**
	 * Release the database: the application context closed.
	 */
	@Override
	public void destroy() {
		EmbeddedPostgresServer.release();
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
