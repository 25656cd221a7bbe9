package io.eventy.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Import;

/**
 * Finds {@link EventHandler} methods on the application's beans and registers them, one
 * {@link HandlerEndpoint} per method, in a {@link HandlerEndpointRegistry} bean. The
 * Eventy Spring Boot auto-configuration applies it; a plain Spring application puts it on
 * a {@code @Configuration} class and declares the beans the handlers need (a
 * {@link io.eventy.record.RecordFactory}, an {@link io.eventy.store.EventStore}) and the
 * store's subscription runner, such as {@code PostgresSubscriptions}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Import(EventHandlerConfiguration.class)
public @interface EnableEventHandlers {

}
