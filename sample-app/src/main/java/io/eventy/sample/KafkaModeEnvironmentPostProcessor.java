package io.eventy.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * In Kafka mode ({@code eventy.store.type=kafka}) the sample runs no database: this adds
 * Spring Boot's DataSource auto-configuration to {@code spring.autoconfigure.exclude}.
 * The sample has the PostgreSQL starter too, so JDBC is on its classpath and Spring Boot
 * would otherwise configure a DataSource and fail without a
 * {@code spring.datasource.url}. An application on Kafka alone has the Kafka starter
 * only, which brings no JDBC, and needs nothing of this. Without a DataSource, Spring
 * Boot's JDBC, transaction and Liquibase auto-configurations and Eventy's PostgreSQL
 * store back off by themselves.
 */
class KafkaModeEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String DATA_SOURCE_AUTO_CONFIGURATION = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";

	private static final String EXCLUDE = "spring.autoconfigure.exclude";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Binder binder = Binder.get(environment);
		String storeType = binder.bind("eventy.store.type", String.class).orElse("");
		if (!storeType.toLowerCase(Locale.ROOT).equals("kafka")) {
			return;
		}
		List<String> excludes = new ArrayList<>(binder.bind(EXCLUDE, Bindable.listOf(String.class)).orElse(List.of()));
		excludes.add(DATA_SOURCE_AUTO_CONFIGURATION);
		environment.getPropertySources()
			.addFirst(new MapPropertySource("sampleKafkaMode", Map.of(EXCLUDE, String.join(",", excludes))));
	}

	@Override
	public int getOrder() {
		// after application.yml and the profiles' files were read
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

}
