package io.eventy.test;

import java.util.List;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When {@link EventyTest}'s auto-configurations supply a server and when they leave the
 * application's own. Starts no server: a connection details bean would only be created.
 */
class EventyTestAutoConfigurationTests {

	private final ApplicationContextRunner postgres = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EventyTestPostgresAutoConfiguration.class));

	private final ApplicationContextRunner kafka = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EventyTestKafkaAutoConfiguration.class));

	@Test
	void definesTheEmbeddedDatabaseWhenNoneIsConfigured() {
		this.postgres.run((context) -> assertThat(context.getBeanNamesForType(JdbcConnectionDetails.class))
			.containsExactly("eventyTestJdbcConnectionDetails"));
	}

	@Test
	void backsOffWhenTheDataSourceUrlIsSet() {
		this.postgres.withPropertyValues("spring.datasource.url=jdbc:postgresql://db.example.com/orders")
			.run((context) -> assertThat(context).doesNotHaveBean(JdbcConnectionDetails.class));
	}

	@Test
	void backsOffFromAConnectionDetailsBeanOfTheApplicationSuchAsAServiceConnection() {
		JdbcConnectionDetails own = new JdbcConnectionDetails() {

			@Override
			public String getUsername() {
				return "orders";
			}

			@Override
			public String getPassword() {
				return "secret";
			}

			@Override
			public String getJdbcUrl() {
				return "jdbc:postgresql://db.example.com/orders";
			}

		};
		this.postgres.withBean(JdbcConnectionDetails.class, () -> own)
			.run((context) -> assertThat(context).getBean(JdbcConnectionDetails.class).isSameAs(own));
	}

	@Test
	void backsOffFromADataSourceOfTheApplication() {
		this.postgres.withBean(DataSource.class, PGSimpleDataSource::new)
			.run((context) -> assertThat(context).doesNotHaveBean(JdbcConnectionDetails.class));
	}

	@Test
	void definesNoDatabaseOnTheKafkaStore() {
		this.postgres.withPropertyValues("eventy.store.type=kafka")
			.run((context) -> assertThat(context).doesNotHaveBean(JdbcConnectionDetails.class));
	}

	@Test
	void definesNoDatabaseWithoutEmbeddedPostgresOnTheClassPath() {
		this.postgres.withClassLoader(new FilteredClassLoader(EmbeddedPostgres.class))
			.run((context) -> assertThat(context).doesNotHaveBean(JdbcConnectionDetails.class));
	}

	@Test
	void definesTheBrokerOnTheKafkaStoreWhenNoneIsConfigured() {
		this.kafka.withPropertyValues("eventy.store.type=kafka")
			.run((context) -> assertThat(context.getBeanNamesForType(KafkaConnectionDetails.class))
				.containsExactly("eventyTestKafkaConnectionDetails"));
	}

	@Test
	void definesNoBrokerOnThePostgresStore() {
		this.kafka.run((context) -> assertThat(context).doesNotHaveBean(KafkaConnectionDetails.class));
	}

	@Test
	void backsOffWhenTheBootstrapServersAreSet() {
		this.kafka
			.withPropertyValues("eventy.store.type=kafka", "spring.kafka.bootstrap-servers=kafka.example.com:9092")
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaConnectionDetails.class));
	}

	@Test
	void backsOffFromABrokerOfTheApplication() {
		KafkaConnectionDetails own = () -> List.of("kafka.example.com:9092");
		this.kafka.withPropertyValues("eventy.store.type=kafka")
			.withBean(KafkaConnectionDetails.class, () -> own)
			.run((context) -> assertThat(context).getBean(KafkaConnectionDetails.class).isSameAs(own));
	}

}
