package io.eventy.store.postgres;

import java.util.concurrent.CountDownLatch;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * A process that starts Eventy's schema migration and stops inside it, holding the
 * migration's locks (Liquibase's changelog lock among them), until it is killed. Run in a
 * JVM of its own by {@link PostgresSchemaMigrationLockTests}.
 * <p>
 * Arguments: the JDBC URL and the user.
 */
public final class MigratingProcess {

	/** The line printed once the locks are held. */
	static final String HOLDING = "holding the migration lock";

	private MigratingProcess() {
	}

	public static void main(String[] args) throws Exception {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setURL(args[0]);
		dataSource.setUser(args[1]);
		CountDownLatch never = new CountDownLatch(1);
		new PostgresSchemaInitializer(dataSource, PostgresStoreSettings.defaults()).initialize(() -> {
			System.out.println(HOLDING);
			System.out.flush();
			try {
				never.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
	}

}
