package io.eventy.store.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.eventy.handler.DeadLetters;
import io.eventy.handler.StartPosition;
import io.eventy.handler.SubscriptionContractTests;
import io.eventy.store.EventStore;
import org.junit.jupiter.api.AfterEach;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * The subscription contract on Kafka: a service of its own for each test, with topics of
 * four partitions, which two instances share.
 */
class KafkaSubscriptionContractTests extends SubscriptionContractTests {

	private final String service = KafkaHandlerContexts.newService(4);

	private final List<AnnotationConfigApplicationContext> contexts = new ArrayList<>();

	@AfterEach
	void closeContexts() {
		this.contexts.forEach(AnnotationConfigApplicationContext::close);
	}

	@Override
	protected Instance startInstance(String name, StartPosition start, Map<String, Object> handlers) {
		AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(this.service, FAST_RETRIES,
				start == StartPosition.LATEST, handlers);
		this.contexts.add(context);
		return new Instance() {

			@Override
			public EventStore store() {
				return context.getBean(KafkaEventStore.class);
			}

			@Override
			public DeadLetters deadLetters() {
				return context.getBean(KafkaDeadLetters.class);
			}

			@Override
			public void close() {
				context.close();
			}

		};
	}

	@Override
	protected EventStore storeBeforeStart() {
		AnnotationConfigApplicationContext context = KafkaHandlerContexts.start(this.service, FAST_RETRIES, false,
				Map.of());
		this.contexts.add(context);
		return context.getBean(KafkaEventStore.class);
	}

	@Override
	protected void awaitShared(Instance instance) {
		await().atMost(DEADLINE).until(() -> {
			List<Integer> partitions = new ArrayList<>();
			int expected = 0;
			for (AnnotationConfigApplicationContext context : this.contexts) {
				if (!context.isActive()) {
					continue;
				}
				for (KafkaSubscriptionStatus status : context.getBean(KafkaSubscriptions.class).status()) {
					if (status.subscription().equals("shared")) {
						partitions.add(status.assignedPartitions());
						expected = status.topics().size() * 4;
					}
				}
			}
			return partitions.size() == 2 && partitions.stream().allMatch((count) -> count > 0)
					&& partitions.stream().mapToInt(Integer::intValue).sum() == expected;
		});
	}

}
