package io.eventy.autoconfigure.kafka;

import io.eventy.store.kafka.KafkaTopicsUnavailableException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Says what to do when Eventy could not check or create its Kafka topics at startup.
 */
class KafkaTopicsFailureAnalyzer extends AbstractFailureAnalyzer<KafkaTopicsUnavailableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, KafkaTopicsUnavailableException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Start a Kafka broker there, or point 'spring.kafka.bootstrap-servers' at one. Eventy waits "
						+ "'spring.kafka.admin.operation-timeout' (30s when not set) for the broker at startup. "
						+ "To create the topics yourself, set 'eventy.kafka.create-topics=false'.",
				cause);
	}

}
