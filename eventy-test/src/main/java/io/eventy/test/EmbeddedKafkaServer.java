package io.eventy.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.utils.Exit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One in-JVM Kafka broker (a single KRaft node) per JVM, started on first use and stopped
 * when the JVM exits.
 */
final class EmbeddedKafkaServer {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedKafkaServer.class);

	private static final ServerUsers users = new ServerUsers();

	private static final Duration STOP_WAIT = Duration.ofSeconds(10);

	private static volatile @Nullable EmbeddedKafkaKraftBroker broker;

	private EmbeddedKafkaServer() {
	}

	/**
	 * Count one more application context connected to the broker.
	 */
	static void acquire() {
		users.acquire();
	}

	/**
	 * Count one application context connected to the broker less.
	 */
	static void release() {
		users.release();
	}

	/**
	 * Return where the broker listens, starting it on first use.
	 * @return its bootstrap servers
	 */
	static List<String> bootstrapServers() {
		return List.of(broker().getBrokersAsString().split(","));
	}

	private static EmbeddedKafkaKraftBroker broker() {
		EmbeddedKafkaKraftBroker running = broker;
		if (running == null) {
			synchronized (EmbeddedKafkaServer.class) {
				running = broker;
				if (running == null) {
					running = start();
					broker = running;
				}
			}
		}
		return running;
	}

	private static EmbeddedKafkaKraftBroker start() {
		EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, 1);
		// a property name of our own: spring-kafka-test would set
		// spring.embedded.kafka.brokers,
		// which other test support reads
		started.brokerListProperty("eventy.test.kafka.brokers");
		// one node: the internal topics cannot have more replicas; few partitions start
		// fast
		started.brokerProperties(Map.of("transaction.state.log.replication.factor", "1",
				"transaction.state.log.min.isr", "1", "transaction.state.log.num.partitions", "4",
				"offsets.topic.num.partitions", "4", "group.initial.rebalance.delay.ms", "0"));
		// Kafka's test kit deletes the broker's directory from a JVM shutdown hook of its
		// own;
		// hooks run concurrently, so it would go while the broker still writes: the
		// deletion
		// runs from our hook, after the broker stopped
		List<Runnable> cleanups = new ArrayList<>();
		Exit.setShutdownHookAdder((name, hook) -> cleanups.add(hook));
		try {
			started.afterPropertiesSet();
		}
		finally {
			Exit.resetShutdownHookAdder();
		}
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			users.awaitNone(STOP_WAIT);
			try {
				started.destroy();
			}
			finally {
				cleanups.forEach(Runnable::run);
			}
		}, "eventy-test-kafka-shutdown"));
		logger.info("Started an in-JVM Kafka broker for the tests of this JVM at {}", started.getBrokersAsString());
		return started;
	}

}
