package io.eventy.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * One embedded PostgreSQL per JVM, started on first use and stopped when the JVM exits
 * (after the application contexts connected to it closed), with a new database for each
 * caller.
 */
final class EmbeddedPostgresServer {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

	private static final AtomicInteger databases = new AtomicInteger();

	private static final ServerUsers users = new ServerUsers();

	private static final Duration STOP_WAIT = Duration.ofSeconds(10);

	private static volatile @Nullable EmbeddedPostgres server;

	private EmbeddedPostgresServer() {
	}

	/**
	 * Return the server, starting it on first use.
	 * @return the running server
	 */
	static EmbeddedPostgres server() {
		EmbeddedPostgres running = server;
		if (running == null) {
			synchronized (EmbeddedPostgresServer.class) {
				running = server;
				if (running == null) {
					try {
						running = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
					}
					catch (IOException ex) {
						throw new UncheckedIOException("Eventy could not start an embedded PostgreSQL", ex);
					}
					EmbeddedPostgres started = running;
					Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(started), "eventy-test-postgres-stop"));
					logger.info("Started an embedded PostgreSQL for the tests of this JVM on port {}",
							running.getPort());
					server = running;
				}
			}
		}
		return running;
	}

	/**
	 * Create a new, empty database on the server for an application context, which
	 * {@linkplain #release() releases} it when it closes.
	 * @return its JDBC URL, for user {@code postgres} without password
	 */
	static String newDatabase() {
		users.acquire();
		EmbeddedPostgres running = server();
		String name = "eventy_test_" + databases.incrementAndGet();
		try (Connection connection = running.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new DataAccessResourceFailureException("Eventy could not create test database " + name, ex);
		}
		return running.getJdbcUrl("postgres", name);
	}

	/**
	 * Count an application context that used a database less.
	 */
	static void release() {
		users.release();
	}

	private static void stop(EmbeddedPostgres server) {
		users.awaitNone(STOP_WAIT);
		try {
			server.close();
		}
		catch (IOException ex) {
			// the JVM is going away
		}
	}

}
