package io.eventy.autoconfigure.kafka;

import java.util.Set;

import io.eventy.autoconfigure.EventyProperties.StoreType;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Keeps Spring Boot from configuring a {@code DataSource} that an application storing
 * records on Kafka neither needs nor could create.
 * <p>
 * The Eventy starter brings Spring JDBC, HikariCP and the PostgreSQL driver for the
 * PostgreSQL store. An application with {@code eventy.store.type=kafka} and no database
 * would then fail at startup in Boot's DataSource auto-configuration ("'url' attribute is
 * not specified"). When the store type is {@code kafka}, no {@code spring.datasource.url}
 * or {@code spring.datasource.jndi-name} is set and no embedded database is on the class
 * path, this filter leaves out Boot's DataSource and Liquibase auto-configurations. As
 * soon as a database is configured, Boot configures it as usual.
 */
public final class KafkaOnlyDataSourceFilter
		implements AutoConfigurationImportFilter, EnvironmentAware, BeanClassLoaderAware {

	/** The auto-configurations that need a database. */
	static final Set<String> DATABASE_AUTO_CONFIGURATIONS = Set.of(
			"org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
			"org.springframework.boot.autoconfigure.liquibase.LiquibaseAutoConfiguration");

	private static final String EMBEDDED_DATABASE_TYPE = "org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType";

	private @Nullable Environment environment;

	private @Nullable ClassLoader classLoader;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public boolean[] match(@Nullable String[] autoConfigurationClasses,
			AutoConfigurationMetadata autoConfigurationMetadata) {
		boolean[] matches = new boolean[autoConfigurationClasses.length];
		boolean withoutDatabase = isKafkaWithoutDatabase();
		for (int i = 0; i < matches.length; i++) {
			// an entry is null when an earlier filter already left it out
			String candidate = autoConfigurationClasses[i];
			matches[i] = !withoutDatabase || candidate == null || !DATABASE_AUTO_CONFIGURATIONS.contains(candidate);
		}
		return matches;
	}

	private boolean isKafkaWithoutDatabase() {
		if (this.environment == null) {
			return false;
		}
		Binder binder = Binder.get(this.environment);
		try {
			if (binder.bind("eventy.store.type", StoreType.class).orElse(null) != StoreType.KAFKA) {
				return false;
			}
		}
		catch (BindException ex) {
			// a bad store type fails startup later, with a message naming the property
			return false;
		}
		if (binder.bind("spring.datasource.url", String.class).isBound()
				|| binder.bind("spring.datasource.jndi-name", String.class).isBound()) {
			return false;
		}
		return !hasEmbeddedDatabase();
	}

	private boolean hasEmbeddedDatabase() {
		return ClassUtils.isPresent(EMBEDDED_DATABASE_TYPE, this.classLoader)
				&& EmbeddedDatabaseConnection.get(this.classLoader) != EmbeddedDatabaseConnection.NONE;
	}

}
