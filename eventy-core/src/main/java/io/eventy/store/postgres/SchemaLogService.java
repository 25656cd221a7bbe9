package io.eventy.store.postgres;

import java.util.logging.Level;

import liquibase.logging.Logger;
import liquibase.logging.core.AbstractLogService;
import liquibase.logging.core.AbstractLogger;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Routes what Liquibase logs while it runs Eventy's changelog to Eventy's own logger, one
 * level down for its routine information: an application start shows Liquibase's warnings
 * and errors about Eventy's tables, not the two dozen lines of every run. The
 * application's own Liquibase runs, outside this scope, log as they always do.
 */
final class SchemaLogService extends AbstractLogService {

	private static final org.slf4j.Logger logger = LoggerFactory.getLogger(PostgresSchemaInitializer.class);

	/** How Liquibase's lock service says it waits for another process's lock. */
	private static final String WAITING_FOR_LOCK = "Waiting for changelog lock";

	@Override
	public int getPriority() {
		return PRIORITY_SPECIALIZED;
	}

	@Override
	public Logger getLog(@Nullable Class clazz) {
		// waiting for the changelog lock is no routine: a lock left by a killed process
		// holds the start for minutes, which must show at INFO
		boolean lockService = clazz != null && clazz.getName().startsWith("liquibase.lockservice.");
		return new Slf4jLogger(lockService);
	}

	private static final class Slf4jLogger extends AbstractLogger {

		private final boolean lockService;

		Slf4jLogger(boolean lockService) {
			this.lockService = lockService;
		}

		@Override
		public void log(Level level, @Nullable String message, @Nullable Throwable ex) {
			if (level == Level.OFF) {
				return;
			}
			String text = (message != null) ? message : "";
			int value = level.intValue();
			if (value >= Level.SEVERE.intValue()) {
				logger.error(text, ex);
			}
			else if (value >= Level.WARNING.intValue()) {
				logger.warn(text, ex);
			}
			else if (value >= Level.INFO.intValue() && this.lockService && text.startsWith(WAITING_FOR_LOCK)) {
				logger.info(text, ex);
			}
			else if (value >= Level.CONFIG.intValue()) {
				logger.debug(text, ex);
			}
			else {
				logger.trace(text, ex);
			}
		}

	}

}
