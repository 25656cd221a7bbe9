package io.eventy.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One real PostgreSQL server per test JVM (embedded, no Docker), and a fresh database on
 * it for each test class that asks, so tests never see each other's rows.
 */
public final class PostgresTestDatabase {

	private static final AtomicInteger COUNTER = new AtomicInteger();

	private static volatile EmbeddedPostgres server;

	private PostgresTestDatabase() {
	}

	/**
	 * Return the server, starting it on first use.
	 * @return the running server
	 */
	public static EmbeddedPostgres server() {
		EmbeddedPostgres running = server;
		if (running == null) {
			synchronized (PostgresTestDatabase.class) {
				running = server;
				if (running == null) {
					try {
						running = EmbeddedPostgres.builder().start();
					}
					catch (IOException ex) {
						throw new UncheckedIOException("Could not start embedded PostgreSQL", ex);
					}
					EmbeddedPostgres started = running;
					Runtime.getRuntime().addShutdownHook(new Thread(() -> {
						try {
							started.close();
						}
						catch (IOException ex) {
							// the JVM is going away
						}
					}));
					server = running;
				}
			}
		}
		return running;
	}

	/**
	 * Create a new, empty database and return a data source for it.
	 * @return a data source of a database no other caller uses
	 */
	public static PGSimpleDataSource newDatabase() {
		String name = "eventy_test_" + COUNTER.incrementAndGet();
		try (Connection connection = server().getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create test database " + name, ex);
		}
		return dataSource(name);
	}

	/**
	 * Return the JDBC URL of a database on the server.
	 * @param database the database name
	 * @return the JDBC URL
	 */
	public static String jdbcUrl(String database) {
		return "jdbc:postgresql://localhost:" + server().getPort() + "/" + database;
	}

	/**
	 * Return a data source of a database on the server.
	 * @param database the database name
	 * @return the data source
	 */
	public static PGSimpleDataSource dataSource(String database) {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setURL(jdbcUrl(database));
		dataSource.setUser("postgres");
		return dataSource;
	}

	/**
	 * Return the data source of the server's default database.
	 * @return the data source
	 */
	public static DataSource defaultDataSource() {
		return server().getPostgresDatabase();
	}

}
