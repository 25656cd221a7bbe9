package io.eventy.autoconfigure.postgres;

import java.util.Map;

import org.apache.commons.logging.Log;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * Keeps Spring Boot's own Liquibase migrations from failing an application that has none.
 * <p>
 * Eventy's starter brings Liquibase for Eventy's own changelog, and Liquibase on the
 * classpath switches on Spring Boot's Liquibase auto-configuration, which fails startup
 * when the application has no changelog of its own. So when the application's changelog
 * ({@code spring.liquibase.change-log}, by default
 * {@code classpath:/db/changelog/db.changelog-master.yaml}) does not exist and
 * {@code spring.liquibase.enabled} is not set, this sets it to {@code false}, as a
 * default of the lowest precedence. An application with its own changelog, or that sets
 * {@code spring.liquibase.enabled}, is left as it is. Eventy's tables do not depend on it
 * either way.
 */
class LiquibaseDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "eventyLiquibaseDefaults";

	private static final String DEFAULT_CHANGE_LOG = "classpath:/db/changelog/db.changelog-master.yaml";

	private final Log logger;

	LiquibaseDefaultsEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(LiquibaseDefaultsEnvironmentPostProcessor.class);
	}

	@Override
	public int getOrder() {
		// after the application's configuration files are loaded
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		ResourceLoader resourceLoader = (application.getResourceLoader() != null) ? application.getResourceLoader()
				: new DefaultResourceLoader(application.getClassLoader());
		if (!ClassUtils.isPresent("liquibase.integration.spring.SpringLiquibase", resourceLoader.getClassLoader())
				|| environment.containsProperty("spring.liquibase.enabled")) {
			return;
		}
		String changeLog = environment.getProperty("spring.liquibase.change-log", DEFAULT_CHANGE_LOG);
		if (resourceLoader.getResource(changeLog).exists()) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of("spring.liquibase.enabled", "false")));
		this.logger.debug("No Liquibase changelog at " + changeLog
				+ ": spring.liquibase.enabled defaults to false (Eventy runs its own changelog)");
	}

}
