package io.eventy.store.postgres;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventy.aggregate.AggregateType;
import io.eventy.aggregate.Aggregates;
import io.eventy.aggregate.Apply;
import io.eventy.handler.DeadLetter;
import io.eventy.handler.EventHandler;
import io.eventy.handler.HandlerTestContexts;
import io.eventy.record.JacksonPayloadConverter;
import io.eventy.record.PayloadValidator;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordType;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.record.RecordUpcaster;
import io.eventy.store.ExpectedVersion;
import io.eventy.store.StreamId;
import io.eventy.testsupport.LogCapture;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Records stored at an older major version are read through upcasters by handlers, by
 * {@code readStream}, by aggregates and on re-drive; without the upcaster they need they
 * are dead letters that name it.
 */
class PostgresUpcastingTests {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private static final ObjectMapper objectMapper = new ObjectMapper();

	private static final RecordUpcaster ONE_TO_TWO = RecordUpcaster.of("urn:shop:PriceSet", 1, "2.0.0", (data) -> {
		data.put("currency", "EUR");
		return data;
	});

	private static final RecordUpcaster TWO_TO_THREE = RecordUpcaster.of("urn:shop:PriceSet", 2, "3.0.0", (data) -> {
		ObjectNode next = objectMapper.createObjectNode();
		next.put("amount", data.get("cents").asLong() / 100.0);
		next.put("currency", data.get("currency").asText());
		return next;
	});

	private static final RecordUpcaster RENAME = RecordUpcaster.of("urn:shop:Price", 1, "urn:shop:PriceSet", "2.0.0",
			(data) -> {
				data.put("currency", "CHF");
				return data;
			});

	private final PGSimpleDataSource database = PostgresHandlerFixture.database();

	@Test
	void aHandlerOfTheNewestMajorReadsRecordsStoredAtTheFirstThroughAChainOfTwoUpcasters() {
		StreamId product = StreamId.of("product", "p-1");
		writer().append(product, ExpectedVersion.noStream(), new PriceSetV1(1250), new PriceSetV1(990));
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.database)
			.recordFactory(reader(ONE_TO_TWO, TWO_TO_THREE))
			.bean("prices", Prices.class)
			.start()) {
			Prices prices = context.getBean(Prices.class);
			await().atMost(DEADLINE)
				.untilAsserted(() -> assertThat(prices.received).containsExactly(new PriceSet(12.5, "EUR"),
						new PriceSet(9.9, "EUR")));
			PostgresEventStore store = new PostgresEventStore(this.database, PostgresHandlerFixture.SETTINGS,
					reader(ONE_TO_TWO, TWO_TO_THREE));
			assertThat(store.readStream(product)).extracting((record) -> record.payload(PriceSet.class))
				.containsExactly(new PriceSet(12.5, "EUR"), new PriceSet(9.9, "EUR"));
			assertThat(store.readStream(product).get(0).record().version()).isEqualTo("1.0.0");
		}
	}

	@Test
	void withoutTheUpcasterItNeedsARecordIsADeadLetterNamingItAndIsHandledOnceItIsThere() {
		StreamId product = StreamId.of("product", "p-2");
		writer().append(product, ExpectedVersion.noStream(), new PriceSetV1(500));
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.database)
			.recordFactory(reader(ONE_TO_TWO))
			.bean("prices", Prices.class)
			.start()) {
			PostgresDeadLetters deadLetters = context.getBean(PostgresDeadLetters.class);
			await().atMost(DEADLINE).until(() -> deadLetters.list("prices.on"), (letters) -> letters.size() == 1);
			DeadLetter letter = deadLetters.list("prices.on").get(0);
			assertThat(letter.lastError()).contains("No upcaster reads urn:shop:PriceSet 2.x")
				.contains("Declare a RecordUpcaster for urn:shop:PriceSet from major 2");
			assertThat(context.getBean(Prices.class).received).isEmpty();
		}
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.database)
			.recordFactory(reader(ONE_TO_TWO, TWO_TO_THREE))
			.bean("prices", Prices.class)
			.start()) {
			PostgresDeadLetters deadLetters = context.getBean(PostgresDeadLetters.class);
			assertThat(deadLetters.redrive("prices.on")).isEqualTo(1);
			await().atMost(DEADLINE)
				.untilAsserted(() -> assertThat(context.getBean(Prices.class).received)
					.containsExactly(new PriceSet(5.0, "EUR")));
			// the dead letter is done once the call has returned
			await().atMost(DEADLINE).until(() -> deadLetters.list("prices.on"), List::isEmpty);
		}
	}

	@Test
	void anAggregateAppliesRecordsStoredAtAnOlderMajorThroughUpcasters() {
		StreamId product = StreamId.of("product", "p-3");
		writer().append(product, ExpectedVersion.noStream(), new PriceSetV1(100), new PriceSetV1(250));
		RecordFactory reader = reader(ONE_TO_TWO, TWO_TO_THREE);
		PostgresEventStore store = new PostgresEventStore(this.database, PostgresHandlerFixture.SETTINGS, reader);
		try (Aggregates aggregates = new Aggregates(store, reader, null, 1)) {
			Product loaded = aggregates.load(product, AggregateType.of(Product.class)).state();
			assertThat(loaded).isEqualTo(new Product(2.5, 2));
		}
	}

	@Test
	void storedRecordsThatNoChainOfUpcastersReachesAreReportedWithoutFailing() {
		writer().publish(new PriceSetV1(100));
		writer().publish(new PriceSetV4(1.0, "EUR", "shop"));
		RecordFactory partial = reader(ONE_TO_TWO);
		partial.registry().register(PriceSet.class);
		try (LogCapture logs = LogCapture.start()) {
			List<String> warnings = new PostgresUpcasterCheck(this.database, PostgresHandlerFixture.SETTINGS, partial)
				.check();
			assertThat(warnings).containsExactlyInAnyOrder(
					"Eventy cannot read some stored records as " + PriceSet.class.getName()
							+ ": records of urn:shop:PriceSet 1.x are stored and the payload class reads 3.x, but no "
							+ "upcaster reads urn:shop:PriceSet 2.x: declare a RecordUpcaster for urn:shop:PriceSet "
							+ "from major 2. Handlers dead-letter them until then.",
					"Eventy cannot read some stored records as " + PriceSet.class.getName()
							+ ": records of urn:shop:PriceSet 4.x are stored, newer than the payload class reads (3.x): "
							+ "deploy the newer payload class. Handlers dead-letter them until then.");
			assertThat(logs.lines((line) -> line.getLevel() == Level.WARN)).hasSize(2);
		}
		RecordFactory complete = reader(ONE_TO_TWO, TWO_TO_THREE);
		complete.registry().register(PriceSet.class);
		assertThat(new PostgresUpcasterCheck(this.database, PostgresHandlerFixture.SETTINGS, complete).check())
			.singleElement()
			.asString()
			.contains("4.x are stored, newer");
	}

	@Test
	void aRenamedRecordTypeReachesHandlersStreamsAndAggregatesOfTheNewNameThroughUpcasters() {
		StreamId product = StreamId.of("product", "p-4");
		writer().append(product, ExpectedVersion.noStream(), new PriceV1(300), new OtherV1("not a price"),
				new PriceSetV1(400));
		RecordFactory reader = reader(RENAME, ONE_TO_TWO, TWO_TO_THREE);
		try (AnnotationConfigApplicationContext context = PostgresHandlerFixture.context(this.database)
			.recordFactory(reader)
			.bean("prices", Prices.class)
			.start()) {
			Prices prices = context.getBean(Prices.class);
			await().atMost(DEADLINE)
				.untilAsserted(() -> assertThat(prices.received).containsExactly(new PriceSet(3.0, "CHF"),
						new PriceSet(4.0, "EUR")));
		}
		PostgresEventStore store = new PostgresEventStore(this.database, PostgresHandlerFixture.SETTINGS, reader);
		assertThat(store.readStream(product).get(0).payload(PriceSet.class)).isEqualTo(new PriceSet(3.0, "CHF"));
		assertThat(store.readStream(product).get(0).record().qualifiedName()).isEqualTo("urn:shop:Price");
		try (Aggregates aggregates = new Aggregates(store, reader, null, 1)) {
			assertThat(aggregates.load(product, AggregateType.of(Product.class)).state())
				.isEqualTo(new Product(4.0, 2));
		}
		RecordFactory partial = reader(RENAME);
		partial.registry().register(PriceSet.class);
		assertThat(new PostgresUpcasterCheck(this.database, PostgresHandlerFixture.SETTINGS, partial).check())
			.contains("Eventy cannot read some stored records as " + PriceSet.class.getName()
					+ ": records of urn:shop:Price 1.x are stored and the payload class reads urn:shop:PriceSet 3.x, "
					+ "but no upcaster reads urn:shop:PriceSet 2.x: declare a RecordUpcaster for urn:shop:PriceSet "
					+ "from major 2. Handlers dead-letter them until then.");
	}

	private PostgresEventStore writer() {
		RecordFactory old = new RecordFactory(new RecordTypeRegistry("urn:shop"),
				new JacksonPayloadConverter(objectMapper), PayloadValidator.none(), "urn:test-service");
		return new PostgresEventStore(this.database, PostgresHandlerFixture.SETTINGS, old);
	}

	private static RecordFactory reader(RecordUpcaster... upcasters) {
		RecordFactory factory = HandlerTestContexts.recordFactory();
		return new RecordFactory(factory.registry(), new JacksonPayloadConverter(objectMapper), PayloadValidator.none(),
				"urn:test-service", List.of(upcasters));
	}

	/** The record type as an older version of the service wrote it. */
	@RecordType(namespace = "urn:shop", name = "PriceSet", version = "1.0.0")
	record PriceSetV1(long cents) {
	}

	/**
	 * The record type under its former name, as an older version of the service wrote it.
	 */
	@RecordType(namespace = "urn:shop", name = "Price", version = "1.0.0")
	record PriceV1(long cents) {
	}

	/** Another record type in the same stream, which no upcaster renames. */
	@RecordType(namespace = "urn:shop", name = "Other", version = "1.0.0")
	record OtherV1(String text) {
	}

	/** The record type as a newer version of the service writes it. */
	@RecordType(namespace = "urn:shop", name = "PriceSet", version = "4.0.0")
	record PriceSetV4(double amount, String currency, String channel) {
	}

	/** The record type as this version reads it. */
	@RecordType(namespace = "urn:shop", name = "PriceSet", version = "3.0.0")
	record PriceSet(double amount, String currency) {
	}

	record Product(double price, int changes) {

		Product() {
			this(0, 0);
		}

		@Apply
		Product priced(PriceSet set) {
			return new Product(set.amount(), this.changes + 1);
		}

	}

	static class Prices {

		final List<PriceSet> received = new CopyOnWriteArrayList<>();

		@EventHandler
		void on(PriceSet set) {
			this.received.add(set);
		}

	}

}
