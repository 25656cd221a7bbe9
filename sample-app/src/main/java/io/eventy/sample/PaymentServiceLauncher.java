package io.eventy.sample;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.eventy.payment.PaymentApplication;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Runs the sample's second service, the payment service ({@link PaymentApplication}), in
 * this JVM, so that the sample shows requests and responses between two services with no
 * external service: it shares the order service's database or Kafka broker, as services
 * on one Eventy bus do, and has its own name ({@code payment}), namespace
 * ({@code urn:payment}) and configuration ({@code payment-service.yml}). It starts once
 * the order service runs and stops before it. Switch it off with
 * {@code sample.payment.embedded=false} to run the payment service on its own.
 */
@Component
@ConditionalOnProperty(name = "sample.payment.embedded", havingValue = "true", matchIfMissing = true)
class PaymentServiceLauncher implements SmartLifecycle {

	private final Environment environment;

	private final ObjectProvider<DataSource> dataSource;

	private final ObjectProvider<KafkaConnectionDetails> kafka;

	private volatile @Nullable ConfigurableApplicationContext payment;

	PaymentServiceLauncher(Environment environment, ObjectProvider<DataSource> dataSource,
			ObjectProvider<KafkaConnectionDetails> kafka) {
		this.environment = environment;
		this.dataSource = dataSource;
		this.kafka = kafka;
	}

	@Override
	public void start() {
		List<String> arguments = new ArrayList<>(List.of("--spring.config.name=payment-service",
				"--spring.main.banner-mode=off", "--spring.main.register-shutdown-hook=false"));
		String storeType = this.environment.getProperty("eventy.store.type", "postgres");
		arguments.add("--eventy.store.type=" + storeType);
		if (storeType.equals("kafka")) {
			arguments.add("--spring.autoconfigure.exclude="
					+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
			KafkaConnectionDetails connection = this.kafka.getIfAvailable();
			if (connection != null) {
				arguments.add("--spring.kafka.bootstrap-servers=" + String.join(",", connection.getBootstrapServers()));
			}
		}
		else if (this.dataSource.getIfAvailable() instanceof HikariDataSource hikari) {
			arguments.add("--spring.datasource.url=" + hikari.getJdbcUrl());
			arguments.add("--spring.datasource.username=" + hikari.getUsername());
			if (hikari.getPassword() != null) {
				arguments.add("--spring.datasource.password=" + hikari.getPassword());
			}
		}
		this.payment = new SpringApplicationBuilder(PaymentApplication.class).run(arguments.toArray(String[]::new));
	}

	@Override
	public void stop() {
		ConfigurableApplicationContext running = this.payment;
		this.payment = null;
		if (running != null) {
			running.close();
		}
	}

	@Override
	public boolean isRunning() {
		return this.payment != null;
	}

}
