package io.eventy.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.record.EventyRecord;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordType;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.serializer.JsonRecordSerializer;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StreamId;
import io.eventy.store.kafka.KafkaEventStore;
import io.eventy.store.kafka.KafkaTopicInitializer;
import io.eventy.store.kafka.KafkaTopics;
import io.eventy.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publish throughput of the Kafka store against a raw {@link KafkaProducer} with the same
 * settings ({@code acks=all}, idempotence, {@code linger.ms=0}), in one run on one
 * broker, and the latency of a synchronous {@code append}.
 * <p>
 * Both sides wait for the broker's acknowledgement of every record, as
 * {@code EventStore.publish} does. The raw producer sends the serialized bytes of an
 * equivalent record, prepared once; the store builds, validates, serializes and adds
 * headers to each record. Each round measures both, back to back, in alternating order,
 * so that a noisy machine hurts both alike.
 * <p>
 * Run it with the in-JVM broker:
 *
 * <pre>
 * mvn -q -pl eventy-core test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.eventy.benchmark.KafkaPublishBenchmark
 * </pre>
 *
 * or against a broker of your own with {@code -Dexec.args=host:9092}. Optional system
 * properties: {@code records} (per round and mode, default 5000), {@code threads}
 * (concurrent publishers, default 8), {@code rounds} (default 7). The ratio reported is
 * the median of the rounds' ratios, each round measuring both sides back to back.
 */
public final class KafkaPublishBenchmark {

	private static final int RECORDS = Integer.getInteger("records", 5000);

	private static final int THREADS = Integer.getInteger("threads", 8);

	private static final int ROUNDS = Integer.getInteger("rounds", 7);

	private KafkaPublishBenchmark() {
	}

	/**
	 * Run the benchmark.
	 * @param args optionally the bootstrap servers of a broker to use instead of the
	 * in-JVM one
	 * @throws Exception on failure
	 */
	public static void main(String[] args) throws Exception {
		String bootstrap = (args.length > 0) ? args[0] : KafkaTestBroker.bootstrapServers();
		String service = "bench-" + Long.toString(System.nanoTime(), 36);
		KafkaTopics topics = KafkaTopics.forService(service);
		new KafkaTopicInitializer(Map.of("bootstrap.servers", bootstrap), topics, 3, null, Duration.ofSeconds(30))
			.initialize();

		Map<String, Object> base = new HashMap<>();
		base.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
		ObjectMapper mapper = new ObjectMapper();
		RecordFactory factory = new RecordFactory(new RecordTypeRegistry("urn:" + service),
				new JacksonPayloadConverter(mapper), PayloadValidator.none(), "urn:" + service);
		JsonRecordSerializer serializer = new JsonRecordSerializer(mapper);
		byte[] rawValue = serializer.serialize(factory.create(new OrderPlaced("order-000042", 1200), "order-42"));

		Map<String, Object> raw = new HashMap<>(base);
		raw.put(ProducerConfig.ACKS_CONFIG, "all");
		raw.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		raw.put(ProducerConfig.LINGER_MS_CONFIG, 0);
		raw.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
		raw.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		raw.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);

		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(raw);
				KafkaEventStore store = new KafkaEventStore(KafkaEventStore.producerFactory(base, service + "-tx-"),
						topics, factory, serializer)) {
			Publisher rawPublisher = (
					i) -> producer.send(new ProducerRecord<>(topics.events(), "order-" + (i % 100), rawValue)).get();
			Publisher storePublisher = (i) -> store.publish(new OrderPlaced("order-" + i, i));

			System.out.printf(Locale.ROOT, "Kafka publish benchmark: %d records per round, %d rounds, broker %s%n",
					RECORDS, ROUNDS, bootstrap);
			sequential(rawPublisher, RECORDS / 5);
			sequential(storePublisher, RECORDS / 5);
			double[] rawSequential = new double[ROUNDS];
			double[] storeSequential = new double[ROUNDS];
			double[] rawConcurrent = new double[ROUNDS];
			double[] storeConcurrent = new double[ROUNDS];
			for (int round = 0; round < ROUNDS; round++) {
				// who goes first alternates, so that drift on a shared machine hurts both
				// alike
				if (round % 2 == 0) {
					rawSequential[round] = sequential(rawPublisher, RECORDS);
					storeSequential[round] = sequential(storePublisher, RECORDS);
					rawConcurrent[round] = concurrent(rawPublisher, RECORDS * 2);
					storeConcurrent[round] = concurrent(storePublisher, RECORDS * 2);
				}
				else {
					storeSequential[round] = sequential(storePublisher, RECORDS);
					rawSequential[round] = sequential(rawPublisher, RECORDS);
					storeConcurrent[round] = concurrent(storePublisher, RECORDS * 2);
					rawConcurrent[round] = concurrent(rawPublisher, RECORDS * 2);
				}
			}
			report("1 thread, synchronous", rawSequential, storeSequential);
			report(THREADS + " threads, synchronous", rawConcurrent, storeConcurrent);

			long[] latencies = new long[RECORDS];
			for (int i = 0; i < RECORDS; i++) {
				StreamId stream = StreamId.of("order", Integer.toString(i % 100));
				long start = System.nanoTime();
				store.append(stream, ExpectedVersion.any(), new OrderPlaced("order-" + i, i));
				latencies[i] = System.nanoTime() - start;
			}
			double mean = millis(Arrays.stream(latencies).sum() / RECORDS);
			Arrays.sort(latencies);
			System.out.printf(Locale.ROOT, "append(any) latency: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, mean %.3f ms%n",
					millis(latencies[RECORDS / 2]), millis(latencies[RECORDS * 9 / 10]),
					millis(latencies[RECORDS * 99 / 100]), mean);
		}
		// the broker first: its files would be deleted under it by Kafka's own exit hook
		KafkaTestBroker.shutDown();
		System.exit(0);
	}

	private static double sequential(Publisher publisher, int records) throws Exception {
		long start = System.nanoTime();
		for (int i = 0; i < records; i++) {
			publisher.publish(i);
		}
		return records / seconds(System.nanoTime() - start);
	}

	private static double concurrent(Publisher publisher, int records) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(THREADS);
		try {
			int perThread = records / THREADS;
			long start = System.nanoTime();
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				int offset = t * perThread;
				futures.add(pool.submit(() -> {
					for (int i = 0; i < perThread; i++) {
						publisher.publish(offset + i);
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get(5, TimeUnit.MINUTES);
			}
			return (perThread * THREADS) / seconds(System.nanoTime() - start);
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static void report(String mode, double[] raw, double[] store) {
		double[] ratios = new double[raw.length];
		for (int i = 0; i < raw.length; i++) {
			ratios[i] = store[i] / raw[i];
		}
		String each = String.join(" ",
				Arrays.stream(ratios).mapToObj((ratio) -> String.format(Locale.ROOT, "%.2f", ratio)).toList());
		System.out.printf(Locale.ROOT,
				"%-24s raw KafkaProducer %8.0f records/s, KafkaEventStore %8.0f records/s (medians), "
						+ "ratio %.2f (median of %s)%n",
				mode, median(raw), median(store), median(ratios), each);
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	private static double seconds(long nanos) {
		return nanos / 1e9;
	}

	private static double millis(long nanos) {
		return nanos / 1e6;
	}

	@FunctionalInterface
	private interface Publisher {

		void publish(int i) throws Exception;

	}

	/**
	 * The benchmark's payload.
	 *
	 * @param orderId the order
	 * @param amountCents the amount
	 */
	@RecordType(name = "OrderPlaced", namespace = "urn:shop")
	public record OrderPlaced(String orderId, long amountCents) {
	}

}
