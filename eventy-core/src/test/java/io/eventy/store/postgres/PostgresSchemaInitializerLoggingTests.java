package io.eventy.store.postgres;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.eventy.testsupport.PostgresTestDatabase;
import liquibase.lockservice.StandardLockService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class PostgresSchemaInitializerLoggingTests {

	private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

	private final Logger initializer = (Logger) LoggerFactory.getLogger(PostgresSchemaInitializer.class);

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private Level initializerLevel;

	@BeforeEach
	void captureLogs() {
		this.logs.start();
		this.root.addAppender(this.logs);
		this.initializerLevel = this.initializer.getLevel();
		this.initializer.setLevel(Level.DEBUG);
	}

	@AfterEach
	void releaseLogs() {
		this.root.detachAppender(this.logs);
		this.initializer.setLevel(this.initializerLevel);
	}

	@Test
	void liquibaseRoutineInformationAboutEventysTablesGoesToEventysLoggerAtDebug() {
		new PostgresSchemaInitializer(PostgresTestDatabase.newDatabase(), PostgresStoreSettings.defaults())
			.initialize();
		assertThat(this.logs.list).as("lines of Liquibase's own loggers")
			.filteredOn((event) -> event.getLoggerName().startsWith("liquibase"))
			.isEmpty();
		assertThat(this.logs.list).as("lines at INFO or above")
			.filteredOn((event) -> event.getLevel().isGreaterOrEqual(Level.INFO))
			.isEmpty();
		assertThat(this.logs.list).as("Liquibase's lines through Eventy's logger")
			.filteredOn((event) -> event.getLoggerName().equals(PostgresSchemaInitializer.class.getName()))
			.isNotEmpty()
			.allSatisfy((event) -> assertThat(event.getLevel()).isEqualTo(Level.DEBUG));
	}

	@Test
	void waitingForAnotherProcesssChangelogLockShowsAtInfo() {
		SchemaLogService logService = new SchemaLogService();
		logService.getLog(StandardLockService.class).info("Waiting for changelog lock....");
		logService.getLog(StandardLockService.class).info("Successfully acquired change log lock");
		assertThat(this.logs.list)
			.filteredOn((event) -> event.getLoggerName().equals(PostgresSchemaInitializer.class.getName()))
			.extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
			.containsExactly(tuple(Level.INFO, "Waiting for changelog lock...."),
					tuple(Level.DEBUG, "Successfully acquired change log lock"));
	}

}
