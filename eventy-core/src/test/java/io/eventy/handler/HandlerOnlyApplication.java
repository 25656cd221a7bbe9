package io.eventy.handler;

import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordType;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.serializer.JsonRecordSerializer;
import io.eventy.store.kafka.KafkaEventStore;
import io.eventy.store.kafka.KafkaSubscriptionSettings;
import io.eventy.store.kafka.KafkaSubscriptions;
import io.eventy.store.kafka.KafkaTopics;
import io.eventy.store.postgres.PostgresEventStore;
import io.eventy.store.postgres.PostgresStoreSettings;
import io.eventy.store.postgres.PostgresSubscriptionOptions;
import io.eventy.store.postgres.PostgresSubscriptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * An application whose only work is handling records, run in a JVM of its own by the
 * lifecycle tests: a plain Spring context with a store, its subscriptions and one
 * {@code @EventHandler}, which prints {@code handled <orderId>} for each record. Its
 * {@code main} registers Spring's shutdown hook and returns.
 * <p>
 * Arguments: {@code postgres <jdbc url> <user> [<segments>]} (leases of one second) or
 * {@code kafka <bootstrap servers>
 * <service>}; the caller creates the tables or topics.
 */
public final class HandlerOnlyApplication {

	/** The line printed right before {@code main} returns. */
	public static final String MAIN_RETURNED = "main returned";

	private HandlerOnlyApplication() {
	}

	/**
	 * Start the application, and return.
	 * @param args the store and where it is
	 */
	public static void main(String[] args) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.register(Infrastructure.class);
		context.registerBean("orders", Orders.class);
		switch (args[0]) {
			case "postgres" -> postgres(context, args[1], args[2], (args.length > 3) ? Integer.parseInt(args[3]) : 1);
			case "kafka" -> kafka(context, args[1], args[2]);
			default -> throw new IllegalArgumentException("unknown store " + args[0]);
		}
		context.refresh();
		context.registerShutdownHook();
		System.out.println(MAIN_RETURNED);
	}

	private static void postgres(AnnotationConfigApplicationContext context, String url, String user, int segments) {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setURL(url);
		dataSource.setUser(user);
		RecordFactory factory = recordFactory("urn:postgres-service");
		PostgresStoreSettings settings = PostgresStoreSettings.defaults();
		context.registerBean(RecordFactory.class, () -> factory);
		context.registerBean(DataSource.class, () -> dataSource);
		context.registerBean(PostgresEventStore.class, () -> new PostgresEventStore(dataSource, settings, factory));
		context.registerBean(PlatformTransactionManager.class, () -> new DataSourceTransactionManager(dataSource));
		context.registerBean(PostgresSubscriptions.class, () -> {
			PostgresSubscriptions subscriptions = new PostgresSubscriptions(dataSource, settings,
					context.getBean(HandlerEndpointRegistry.class), factory.converter(), options(),
					context.getBean(PlatformTransactionManager.class), context);
			subscriptions.setPostgresOptions(PostgresSubscriptionOptions.defaults()
				.withSegments(segments)
				.withLease(Duration.ofSeconds(1))
				.withInstanceId("child-jvm"));
			return subscriptions;
		});
	}

	private static void kafka(AnnotationConfigApplicationContext context, String bootstrapServers, String service) {
		RecordFactory factory = recordFactory("urn:" + service);
		KafkaTopics topics = KafkaTopics.forService(service);
		Map<String, Object> producer = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		Map<String, Object> consumer = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		context.registerBean(RecordFactory.class, () -> factory);
		context.registerBean(KafkaEventStore.class,
				() -> new KafkaEventStore(KafkaEventStore.producerFactory(producer, service + "-tx-"), topics, factory,
						new JsonRecordSerializer(new ObjectMapper())));
		context.registerBean(KafkaSubscriptions.class,
				() -> new KafkaSubscriptions(context.getBean(KafkaEventStore.class),
						context.getBean(HandlerEndpointRegistry.class), consumer,
						KafkaSubscriptionSettings.of(service, topics, options())));
	}

	private static RecordFactory recordFactory(String namespace) {
		return new RecordFactory(new RecordTypeRegistry(namespace), new JacksonPayloadConverter(new ObjectMapper()),
				PayloadValidator.none(), namespace);
	}

	private static SubscriptionOptions options() {
		return new SubscriptionOptions(100, Duration.ofMillis(200), StartPosition.EARLIEST, RetryPolicy.defaults());
	}

	/**
	 * What the application handles.
	 *
	 * @param orderId the order
	 */
	@RecordType(namespace = "urn:shop")
	public record OrderPlaced(String orderId) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableEventHandlers
	static class Infrastructure {

	}

	static class Orders {

		@EventHandler
		void onOrderPlaced(OrderPlaced event) {
			System.out.println("handled " + event.orderId());
		}

	}

}
