package io.eventy.handler;

import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.serializer.JsonRecordSerializer;
import io.eventy.store.kafka.KafkaEventStore;
import io.eventy.store.kafka.KafkaTopicInitializer;
import io.eventy.store.kafka.KafkaTopics;
import io.eventy.testsupport.KafkaTestBroker;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle of an application that handles records of the Kafka store.
 */
class KafkaHandlerLifecycleTests {

	@Test
	void anApplicationWhoseOnlyWorkIsHandlingRecordsRunsAfterMainReturnedAndStopsCleanlyOnSigterm() throws Exception {
		String service = KafkaTestBroker.uniqueName("svc");
		KafkaTopics topics = KafkaTopics.forService(service);
		new KafkaTopicInitializer(KafkaTestBroker.adminProperties(), topics, 1, null, Duration.ofSeconds(30))
			.initialize();
		try (KafkaEventStore store = new KafkaEventStore(
				KafkaEventStore.producerFactory(KafkaTestBroker.producerProperties(), KafkaTestBroker.uniqueName("tx")),
				topics, HandlerTestContexts.recordFactory(), new JsonRecordSerializer(new ObjectMapper()))) {
			for (int i = 1; i <= 3; i++) {
				store.publish(new HandlerOnlyApplication.OrderPlaced("backlog-" + i));
			}
			try (ChildJvm application = ChildJvm.start(HandlerOnlyApplication.class, "kafka",
					KafkaTestBroker.bootstrapServers(), service)) {
				HandlerOnlyApplicationAssertions.runsAfterMainReturnedAndStopsCleanlyOnSigterm(application,
						(orderId) -> store.publish(new HandlerOnlyApplication.OrderPlaced(orderId)));
			}
		}
	}

}
