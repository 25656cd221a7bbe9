package io.eventy.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real Kafka broker per test JVM: spring-kafka-test's in-JVM KRaft broker (one
 * combined broker and controller node, no Docker, no ZooKeeper), started on first use.
 * <p>
 * Clients find the broker with {@link #bootstrapServers()}: the broker's port is random.
 * {@link EmbeddedKafkaKraftBroker} has no restart of its own, so {@link #stop()} and
 * {@link #start()} go through the broker server of its {@code KafkaClusterTestKit} while
 * the controller keeps running; the test kit binds the broker's socket in advance, so the
 * broker comes back on the same port.
 * <p>
 * Tests share the broker: each one uses topics and consumer groups of its own, from
 * {@link #uniqueName(String)}.
 */
public final class KafkaTestBroker {

	private static volatile EmbeddedKafkaKraftBroker broker;

	private KafkaTestBroker() {
	}

	/**
	 * Return the broker, starting it on first use.
	 * @return the running broker
	 */
	public static EmbeddedKafkaKraftBroker broker() {
		EmbeddedKafkaKraftBroker running = broker;
		if (running == null) {
			synchronized (KafkaTestBroker.class) {
				running = broker;
				if (running == null) {
					running = new EmbeddedKafkaKraftBroker(1, 1);
					// spring-kafka-test sets this system property to the broker list; a
					// name of our own leaves
					// spring.kafka.bootstrap-servers alone
					running.brokerListProperty("eventy.test.kafka.brokers");
					Map<String, String> properties = new HashMap<>(Map.of("transaction.state.log.replication.factor",
							"1", "transaction.state.log.min.isr", "1", "transaction.state.log.num.partitions", "4",
							"offsets.topic.num.partitions", "4", "auto.create.topics.enable", "false",
							"group.initial.rebalance.delay.ms", "0"));
					if (isKafka3TestKit()) {
						// Kafka 3's test kit binds a restarted broker to a new random
						// port;
						// a fixed one keeps it where clients expect it (Kafka 4's binds
						// the port in advance and honours no fixed one)
						properties.put("listeners", "EXTERNAL://localhost:" + freePort() + ",CONTROLLER://localhost:0");
					}
					running.brokerProperties(properties);
					running.afterPropertiesSet();
					Runtime.getRuntime().addShutdownHook(new Thread(KafkaTestBroker::shutDown));
					broker = running;
				}
			}
		}
		return running;
	}

	/**
	 * Return the bootstrap servers of the broker, starting it on first use.
	 * @return {@code host:port}
	 */
	public static String bootstrapServers() {
		return broker().getBrokersAsString();
	}

	/**
	 * Stop the broker (the controller keeps running); clients see a broker that went
	 * away. Undo with {@link #start()}.
	 */
	public static void stop() {
		BrokerServer server = brokerServer();
		server.shutdown();
		server.awaitShutdown();
	}

	/**
	 * Start the broker again after {@link #stop()}, on the same port, and wait until it
	 * serves requests.
	 */
	public static void start() {
		brokerServer().startup();
		try {
			cluster().getClass().getMethod("waitForReadyBrokers").invoke(cluster());
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new IllegalStateException("The test broker did not come back", ex.getCause());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("The test broker did not come back", ex);
		}
	}

	/**
	 * Shut the broker and its controller down and delete their files, if the broker was
	 * started. {@link KafkaTestBrokerSessionListener} does so when the tests of the JVM
	 * are done: from a shutdown hook it would race Kafka's own hook that deletes the
	 * broker's directory, and log errors about files that are gone.
	 */
	public static void shutDown() {
		synchronized (KafkaTestBroker.class) {
			EmbeddedKafkaKraftBroker running = broker;
			broker = null;
			if (running != null) {
				running.destroy();
			}
		}
	}

	/**
	 * Return a name no other caller of this JVM gets, for topics and consumer groups.
	 * @param prefix a readable prefix
	 * @return {@code prefix-<random>}
	 */
	public static String uniqueName(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * Create topics.
	 * @param partitions the partitions of each topic
	 * @param topics the topic names
	 */
	public static void createTopics(int partitions, String... topics) {
		try (Admin admin = Admin.create(adminProperties())) {
			admin
				.createTopics(
						List.of(topics).stream().map((topic) -> new NewTopic(topic, partitions, (short) 1)).toList())
				.all()
				.get(30, TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not create topics " + List.of(topics), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return admin client properties for the broker.
	 * @return the properties
	 */
	public static Map<String, Object> adminProperties() {
		Map<String, Object> properties = new HashMap<>();
		properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
		return properties;
	}

	/**
	 * Return producer properties for the broker, as {@code spring.kafka.producer.*} would
	 * give them (no Eventy overrides).
	 * @return the properties
	 */
	public static Map<String, Object> producerProperties() {
		Map<String, Object> properties = new HashMap<>();
		properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
		properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		return properties;
	}

	/**
	 * Return consumer properties for the broker: a fresh group, from the earliest offset,
	 * committed reads only.
	 * @return the properties
	 */
	public static Map<String, Object> consumerProperties() {
		Map<String, Object> properties = new HashMap<>();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
		properties.put(ConsumerConfig.GROUP_ID_CONFIG, uniqueName("test-group"));
		properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		return properties;
	}

	/**
	 * Return a plain consumer of raw bytes, reading committed records from the earliest
	 * offset in a group of its own.
	 * @return a new consumer; close it
	 */
	public static KafkaConsumer<String, byte[]> newConsumer() {
		return new KafkaConsumer<>(consumerProperties());
	}

	/**
	 * How long tests wait for the broker.
	 * @return the deadline of a wait
	 */
	public static Duration timeout() {
		return Duration.ofSeconds(30);
	}

	private static BrokerServer brokerServer() {
		try {
			Map<?, ?> brokers = (Map<?, ?>) cluster().getClass().getMethod("brokers").invoke(cluster());
			return (BrokerServer) brokers.values().iterator().next();
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("No broker server in the test cluster", ex);
		}
	}

	private static boolean isKafka3TestKit() {
		try {
			return EmbeddedKafkaKraftBroker.class.getMethod("getCluster")
				.getReturnType()
				.getName()
				.startsWith("kafka.testkit.");
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port for the test broker", ex);
		}
	}

	/**
	 * Return the broker's {@code KafkaClusterTestKit}, whose class moved between Kafka 3
	 * and 4 ({@code kafka.testkit} to {@code org.apache.kafka.common.test}): reached by
	 * reflection so that eventy-core's tests also run on Spring Boot 3.5's versions.
	 * @return the test kit
	 */
	private static Object cluster() {
		try {
			return EmbeddedKafkaKraftBroker.class.getMethod("getCluster").invoke(broker());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("No test cluster behind the test broker", ex);
		}
	}

}
