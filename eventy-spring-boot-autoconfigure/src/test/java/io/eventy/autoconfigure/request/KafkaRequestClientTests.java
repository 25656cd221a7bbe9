package io.eventy.autoconfigure.request;

import io.eventy.autoconfigure.EventyAutoConfiguration;
import io.eventy.autoconfigure.handler.EventyHandlersAutoConfiguration;
import io.eventy.autoconfigure.kafka.EventyKafkaAutoConfiguration;
import io.eventy.autoconfigure.kafka.EventyKafkaHandlersAutoConfiguration;
import io.eventy.autoconfigure.kafka.EventyKafkaRequestsAutoConfiguration;
import io.eventy.testsupport.KafkaTestBroker;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

/**
 * The request client on Kafka: the request goes to the payment service's requests topic,
 * its response to the payment service's responses topic, which every instance of the
 * order service reads.
 */
class KafkaRequestClientTests extends RequestClientContractTests {

	private String payment;

	private String orders;

	@BeforeEach
	void newServices() {
		this.payment = KafkaTestBroker.uniqueName("payment");
		this.orders = KafkaTestBroker.uniqueName("orders");
	}

	private ApplicationContextRunner service(String name) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ValidationAutoConfiguration.class,
					KafkaAutoConfiguration.class, EventyAutoConfiguration.class, EventyKafkaAutoConfiguration.class,
					EventyHandlersAutoConfiguration.class, EventyKafkaHandlersAutoConfiguration.class,
					EventyRequestsAutoConfiguration.class, EventyKafkaRequestsAutoConfiguration.class))
			.withPropertyValues("spring.application.name=" + name, "eventy.store.type=kafka",
					"spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(),
					"eventy.handlers.poll-interval=100ms", "eventy.kafka.partitions=1");
	}

	@Override
	ApplicationContextRunner payment() {
		return service(this.payment).withPropertyValues("eventy.service.namespace=urn:pay").withBean(Payments.class);
	}

	@Override
	ApplicationContextRunner orders() {
		return service(this.orders).withPropertyValues("eventy.services." + this.payment + ".namespace=urn:pay");
	}

	@Override
	String paymentName() {
		return this.payment;
	}

}
