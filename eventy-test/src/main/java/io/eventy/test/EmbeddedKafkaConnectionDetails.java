package io.eventy.test;

import java.util.List;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;

/**
 * Connects an application to the JVM's in-JVM Kafka broker, started when a client first
 * asks where it is; the broker stops at JVM exit only once every application context
 * connected to it closed.
 */
final class EmbeddedKafkaConnectionDetails implements KafkaConnectionDetails, DisposableBean {

	EmbeddedKafkaConnectionDetails() {
		EmbeddedKafkaServer.acquire();
	}

	@Override
	public List<String> getBootstrapServers() {
		return EmbeddedKafkaServer.bootstrapServers();
	}

	/**
	 * Count the application context out: it closed.
	 */
	@Override
	public void destroy() {
		EmbeddedKafkaServer.release();
	}

}
