package io.eventy.autoconfigure.aggregate;

import java.util.List;

import javax.sql.DataSource;

import io.eventy.aggregate.Aggregate;
import io.eventy.aggregate.AggregateType;
import io.eventy.aggregate.Aggregates;
import io.eventy.aggregate.Apply;
import io.eventy.aggregate.SnapshotStore;
import io.eventy.aggregate.Snapshots;
import io.eventy.autoconfigure.EventyAutoConfiguration;
import io.eventy.autoconfigure.kafka.EventyKafkaAutoConfiguration;
import io.eventy.autoconfigure.postgres.EventyPostgresAutoConfiguration;
import io.eventy.record.RecordType;
import io.eventy.store.StreamId;
import io.eventy.store.UnsupportedStoreOperationException;
import io.eventy.store.postgres.PostgresSnapshotStore;
import io.eventy.testsupport.KafkaTestBroker;
import io.eventy.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventyAggregatesAutoConfigurationTests {

	private static final AggregateType<Counter> COUNTER = AggregateType.of(Counter.class)
		.withSnapshots(Snapshots.every(2));

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ValidationAutoConfiguration.class,
				KafkaAutoConfiguration.class, EventyAutoConfiguration.class, EventyPostgresAutoConfiguration.class,
				EventyKafkaAutoConfiguration.class, EventyAggregatesAutoConfiguration.class))
		.withPropertyValues("spring.application.name=counter-service");

	private ApplicationContextRunner onPostgres() {
		DataSource dataSource = PostgresTestDatabase.newDatabase();
		return this.contextRunner.withBean(DataSource.class, () -> dataSource);
	}

	@Test
	void aggregatesWorkOnThePostgresStoreWithSnapshotsInItsTable() {
		onPostgres().run((context) -> {
			assertThat(context).hasSingleBean(Aggregates.class)
				.getBean(SnapshotStore.class)
				.isInstanceOf(PostgresSnapshotStore.class);
			Aggregates aggregates = context.getBean(Aggregates.class);
			StreamId stream = StreamId.of("counter", "c-1");
			aggregates.update(stream, COUNTER, (counter) -> List.of(new Counted(2)));
			Aggregate<Counter> counted = aggregates.update(stream, COUNTER, (counter) -> List.of(new Counted(3)));
			assertThat(counted.state().total()).isEqualTo(5);
			assertThat(aggregates.load(stream, COUNTER)).isEqualTo(counted);
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			await().until(() -> jdbc.queryForList("SELECT stream_version FROM eventy_snapshots", Long.class),
					(versions) -> versions.equals(List.of(2L)));
		});
	}

	@Test
	void updatesTryAsOftenAsConfigured() {
		onPostgres().withPropertyValues("eventy.aggregates.max-attempts=3")
			.run((context) -> assertThat(context.getBean(Aggregates.class)).extracting("maxAttempts").isEqualTo(3));
	}

	@Test
	void refusesLessThanOneAttempt() {
		onPostgres().withPropertyValues("eventy.aggregates.max-attempts=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessage("must be at least 1");
		});
	}

	@Test
	void onKafkaTheApplicationStartsWhileNothingUsesAggregates() {
		onKafka().run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SnapshotStore.class));
	}

	@Test
	void onKafkaABeanThatUsesAggregatesFailsStartupSayingTheyNeedPostgres() {
		onKafka().withBean(CounterService.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(UnsupportedStoreOperationException.class)
				.hasMessageContaining("Aggregates need the PostgreSQL store")
				.hasMessageContaining("eventy.store.type=postgres");
		});
	}

	private ApplicationContextRunner onKafka() {
		return this.contextRunner.withPropertyValues("eventy.store.type=kafka",
				"spring.application.name=" + KafkaTestBroker.uniqueName("counter"),
				"spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers());
	}

	@RecordType(namespace = "urn:counting", name = "Counted")
	record Counted(int amount) {
	}

	record Counter(long total) {

		Counter() {
			this(0);
		}

		@Apply
		Counter counted(Counted counted) {
			return new Counter(this.total + counted.amount());
		}

	}

	static class CounterService {

		CounterService(Aggregates aggregates) {
		}

	}

}
