package io.eventy.sample;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * In Kafka mode ({@code eventy.store.type=kafka}) the sample uses no database: this
 * excludes Spring Boot's DataSource and Liquibase auto-configurations, keeping any
 * exclusions already configured.
 */
class KafkaModeEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String STORE_TYPE = "eventy.store.type";

	private static final String EXCLUDE = "spring.autoconfigure.exclude";

	private static final List<String> DATABASE_AUTO_CONFIGURATIONS = List.of(
			"org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
			"org.springframework.boot.autoconfigure.liquibase.LiquibaseAutoConfiguration");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!"kafka".equals(environment.getProperty(STORE_TYPE))) {
			return;
		}
		Set<String> excludes = new LinkedHashSet<>(
				StringUtils.commaDelimitedListToSet(environment.getProperty(EXCLUDE, "")));
		excludes.remove("");
		excludes.addAll(DATABASE_AUTO_CONFIGURATIONS);
		environment.getPropertySources()
			.addFirst(new MapPropertySource("sampleKafkaMode",
					Map.of(EXCLUDE, StringUtils.collectionToCommaDelimitedString(excludes))));
	}

}
