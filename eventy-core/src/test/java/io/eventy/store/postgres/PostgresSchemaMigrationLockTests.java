package io.eventy.store.postgres;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.eventy.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Eventy's schema migration survives a process killed in the middle of it: the next start
 * migrates at once, with nobody clearing a lock by hand.
 */
class PostgresSchemaMigrationLockTests {

	private static final Duration DEADLINE = Duration.ofSeconds(60);

	@Test
	void aProcessKilledWhileItHoldsTheMigrationLockDoesNotBlockTheNextStart() throws Exception {
		PGSimpleDataSource dataSource = PostgresTestDatabase.newDatabase();
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx128m", "-cp", System.getProperty("java.class.path"), MigratingProcess.class.getName(),
				dataSource.getUrl(), dataSource.getUser())
			.redirectErrorStream(true)
			.start();
		List<String> output = new CopyOnWriteArrayList<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
				lines.lines().forEach(output::add);
			}
			catch (Exception ex) {
				// the process was killed
			}
		});
		reader.setDaemon(true);
		reader.start();
		try {
			await().atMost(DEADLINE)
				.failFast("the migrating process exited: " + output, () -> !child.isAlive())
				.until(() -> output.contains(MigratingProcess.HOLDING));
			// killed as by the kernel's OOM killer or a node that goes away: no shutdown
			// hook
			child.destroyForcibly();
			assertThat(child.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
		}
		finally {
			child.destroyForcibly();
		}
		// what the killed process left behind: Liquibase's lock row says it still
		// migrates
		assertThat(jdbc.queryForObject("SELECT locked FROM eventy_changelog_lock WHERE id = 1", Boolean.class))
			.isTrue();

		CompletableFuture<Void> restart = CompletableFuture
			.runAsync(() -> new PostgresSchemaInitializer(dataSource, PostgresStoreSettings.defaults()).initialize());
		restart.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

		assertThat(jdbc.queryForObject("SELECT locked FROM eventy_changelog_lock WHERE id = 1", Boolean.class))
			.isFalse();
		assertThat(jdbc.queryForObject("SELECT count(*) FROM eventy_records", Long.class)).isZero();
	}

	@Test
	void twoStartsAtOnceMigrateOneAfterTheOther() throws Exception {
		PGSimpleDataSource dataSource = PostgresTestDatabase.newDatabase();
		CompletableFuture<Void> first = CompletableFuture
			.runAsync(() -> new PostgresSchemaInitializer(dataSource, PostgresStoreSettings.defaults()).initialize());
		CompletableFuture<Void> second = CompletableFuture
			.runAsync(() -> new PostgresSchemaInitializer(dataSource, PostgresStoreSettings.defaults()).initialize());
		CompletableFuture.allOf(first, second).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		assertThat(jdbc.queryForObject("SELECT locked FROM eventy_changelog_lock WHERE id = 1", Boolean.class))
			.isFalse();
		assertThat(jdbc.queryForObject("SELECT count(*) FROM eventy_changelog WHERE author IS NOT NULL", Long.class))
			.isPositive();
	}

}
