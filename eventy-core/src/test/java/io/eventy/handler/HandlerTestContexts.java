package io.eventy.handler;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.record.BeanValidationPayloadValidator;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.store.postgres.PostgresEventStore;
import io.eventy.store.postgres.PostgresHandlerFixture;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Application contexts with handler discovery and the PostgreSQL store, for tests of
 * discovery and invocation.
 */
public final class HandlerTestContexts {

	private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

	private HandlerTestContexts() {
	}

	public static RecordFactory recordFactory() {
		return new RecordFactory(new RecordTypeRegistry("urn:test"), new JacksonPayloadConverter(new ObjectMapper()),
				new BeanValidationPayloadValidator(VALIDATOR), "urn:test-service");
	}

	/**
	 * Start a context with discovery, a record factory, the PostgreSQL store on a
	 * database shared by the tests that write nothing, and beans.
	 * @param beans bean names and classes, alternating
	 * @return the refreshed context
	 */
	public static AnnotationConfigApplicationContext start(Object... beans) {
		return start(null, beans);
	}

	/**
	 * Start a context with discovery, a record factory, the PostgreSQL store on a
	 * database and beans.
	 * @param dataSource a database with the store's tables, or {@code null} for the
	 * shared one
	 * @param beans bean names and classes, alternating
	 * @return the refreshed context
	 */
	public static AnnotationConfigApplicationContext start(@Nullable DataSource dataSource, Object... beans) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.register(Infrastructure.class);
		if (dataSource != null) {
			context.registerBean(DataSource.class, () -> dataSource);
		}
		for (int i = 0; i < beans.length; i += 2) {
			context.registerBean((String) beans[i], (Class<?>) beans[i + 1]);
		}
		try {
			context.refresh();
		}
		catch (RuntimeException ex) {
			context.close();
			throw ex;
		}
		return context;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableEventHandlers
	static class Infrastructure {

		@Bean
		RecordFactory recordFactory() {
			return HandlerTestContexts.recordFactory();
		}

		@Bean
		PostgresEventStore eventStore(ObjectProvider<DataSource> dataSource, RecordFactory recordFactory) {
			return new PostgresEventStore(dataSource.getIfAvailable(() -> SharedDatabase.DATA_SOURCE),
					PostgresHandlerFixture.SETTINGS, recordFactory);
		}

	}

	/**
	 * The database of the tests that write nothing, created when first needed.
	 */
	private static final class SharedDatabase {

		static final DataSource DATA_SOURCE = PostgresHandlerFixture.database();

	}

}
