package io.eventy.autoconfigure.postgres;

import java.util.Set;

import io.eventy.store.postgres.PostgresSchemaInitializer;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.sql.init.dependency.DatabaseInitializerDetector;
import org.springframework.util.ClassUtils;

/**
 * Declares {@link PostgresSchemaInitializer} beans as database initializers, so that the
 * event store and every bean that depends on database initialization (a
 * {@code JdbcTemplate}, a bean marked {@code @DependsOnDatabaseInitialization}) are
 * created after Eventy's tables exist.
 */
class PostgresSchemaInitializerDetector implements DatabaseInitializerDetector {

	@Override
	public Set<String> detect(ConfigurableListableBeanFactory beanFactory) {
		if (!ClassUtils.isPresent("liquibase.Liquibase", beanFactory.getBeanClassLoader())) {
			return Set.of();
		}
		return Set.of(beanFactory.getBeanNamesForType(PostgresSchemaInitializer.class, true, false));
	}

}
