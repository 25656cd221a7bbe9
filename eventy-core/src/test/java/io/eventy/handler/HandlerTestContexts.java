package io.eventy.handler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordTypeRegistry;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Application contexts with handler discovery and an in-memory store, for tests of
 * discovery and invocation.
 */
final class HandlerTestContexts {

	private HandlerTestContexts() {
	}

	static RecordFactory recordFactory() {
		return new RecordFactory(new RecordTypeRegistry("urn:test"), new JacksonPayloadConverter(new ObjectMapper()),
				PayloadValidator.none(), "urn:test-service");
	}

	/**
	 * Start a context with discovery, a record factory, a recording store and beans.
	 * @param beans bean names and classes, alternating
	 * @return the refreshed context
	 */
	static AnnotationConfigApplicationContext start(Object... beans) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.register(Infrastructure.class);
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
		RecordingEventStore eventStore(RecordFactory recordFactory) {
			return new RecordingEventStore(recordFactory);
		}

	}

}
