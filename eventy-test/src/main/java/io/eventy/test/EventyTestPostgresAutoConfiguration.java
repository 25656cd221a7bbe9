package io.eventy.test;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Connects an application on the PostgreSQL store that configures no database to a new
 * database on an embedded PostgreSQL, started once per JVM. Imported by
 * {@link EventyTest}.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass({ EmbeddedPostgres.class, JdbcConnectionDetails.class })
@ConditionalOnProperty(name = "eventy.store.type", havingValue = "postgres", matchIfMissing = true)
@ConditionalOnMissingBean({ DataSource.class, JdbcConnectionDetails.class })
@Conditional(UnsetPropertyCondition.NoDataSourceUrl.class)
public final class EventyTestPostgresAutoConfiguration {

	@Bean
	EmbeddedPostgresConnectionDetails eventyTestJdbcConnectionDetails() {
		return EmbeddedPostgresConnectionDetails.newDatabase();
	}

}
