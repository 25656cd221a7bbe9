package io.eventy.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link EventyConfigurationException} into a startup report that says what is
 * wrong and how to fix it.
 */
class EventyConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<EventyConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EventyConfigurationException cause) {
		return new FailureAnalysis(cause.getDescription(), cause.getAction(), cause);
	}

}
