package io.eventy.autoconfigure.postgres;

import io.eventy.store.postgres.SchemaInitializationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Says what to do when Eventy could not create or upgrade its PostgreSQL tables at
 * startup.
 */
class SchemaInitializationFailureAnalyzer extends AbstractFailureAnalyzer<SchemaInitializationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, SchemaInitializationException cause) {
		String action = cause.isConnectionFailed()
				? "Check that the database runs and 'spring.datasource.url', 'spring.datasource.username' and "
						+ "'spring.datasource.password'."
				: "Check that the database user may create tables in the schema 'eventy.postgres.schema' names, "
						+ "or create Eventy's tables yourself (the README says how) and set "
						+ "'eventy.postgres.initialize-schema=false'.";
		return new FailureAnalysis(cause.getMessage(), action, cause);
	}

}
